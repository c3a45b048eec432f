import { CatalogSpec } from './entities';

export const BENCH_BACKEND_ENV = 'INGESTION_KEYS_BENCH_BACKEND';

/**
 * Where the plugin's catalog calls go: `real`, the catalog plugin in the same backend (over HTTP
 * with the caller's credentials, as in production); `double`, an indexed in-process double that
 * isolates the plugin's own cost; `stock`, the stock `catalogServiceMock`.
 */
export type CatalogSource = 'real' | 'double' | 'stock';

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
    /** The same for the real catalog's own database. */
    catalogName?: string;
  };
  groundcover: { baseUrl: string; apiKey: string; backendId: string };
  catalog: CatalogSpec;
  catalogSource: CatalogSource;
  /** `ingestionKeys.provisioning.concurrency`. */
  concurrency: number;
  /** Where the backend writes its configuration, which it then reads as `--config`. */
  configFile: string;
}

/** What a backend process answers to "queries": statements sent so far, per database. */
export type QueryCounts = Record<string, number>;

/** What a backend process answers to "heap". */
export interface HeapStats {
  /** JS heap in use right after a full collection: what the process really holds. */
  liveAfterGc: number;
  /** The largest JS heap size (heapTotal) sampled since the previous "heap". */
  peakHeapTotal: number;
}
