import { BackendProcess } from './BackendProcess';

/** Database round trips per operation, in the plugin's database and in the catalog's. */
export interface RoundTrips {
  plugin: number;
  catalog: number;
}

/**
 * Database round trips a backend makes for the requests of a measured phase, per operation
 * (the backend counts only statements issued while it handles requests; see countQueries.ts).
 */
export class QueryMeter {
  constructor(private readonly backend: BackendProcess) {}

  /** Runs `phase`, which performs `operations` operations, and returns its round trips each. */
  async measure<T>(
    operations: number,
    phase: () => Promise<T>,
  ): Promise<{ result: T; roundTrips: RoundTrips }> {
    const before = await this.backend.queries();
    const result = await phase();
    const after = await this.backend.queries();
    const { name, catalogName } = this.backend.options.database;
    const per = (database?: string) =>
      database
        ? ((after[database] ?? 0) - (before[database] ?? 0)) /
          Math.max(1, operations)
        : 0;
    return {
      result,
      roundTrips: { plugin: per(name), catalog: per(catalogName) },
    };
  }
}
