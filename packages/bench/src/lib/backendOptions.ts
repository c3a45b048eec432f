import { CatalogSpec } from './entities';

export const BENCH_BACKEND_ENV = 'INGESTION_KEYS_BENCH_BACKEND';

/** What the bench tells a backend process it starts. */
export interface BackendProcessOptions {
  port: number;
  /** The static external-access token that bench clients send. */
  token: string;
  database: {
    connection: {
      host: string;
      port: number;
      user: string;
      password?: string;
    };
    /** A database the bench created for this backend and drops afterwards. */
    name: string;
  };
  groundcover: { baseUrl: string; apiKey: string; backendId: string };
  catalog: CatalogSpec;
  /** `indexed` (default) or the stock `catalogServiceMock`. */
  catalogDouble: 'indexed' | 'stock';
  /** `ingestionKeys.provisioning.concurrency`; unset leaves the plugin's default. */
  concurrency?: number;
}

/** What a backend process answers to "heap". */
export interface HeapStats {
  /** JS heap in use right after a full collection: what the process really holds. */
  liveAfterGc: number;
  /** The largest JS heap size (heapTotal) sampled since the previous "heap". */
  peakHeapTotal: number;
}
