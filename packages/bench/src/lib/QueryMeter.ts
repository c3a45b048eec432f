import { setTimeout as sleep } from 'node:timers/promises';
import { BackendProcess } from './BackendProcess';
import { nowMs } from './stats';

/** Database round trips per operation, in the plugin's database and in the catalog's. */
export interface RoundTrips {
  plugin: number;
  catalog: number;
}

/**
 * Counts the statements a backend sends to PostgreSQL during a measured phase, per operation.
 * The backend also queries on its own (the scheduler's polling, the catalog's processing loop
 * looking for due entities), so the meter first measures that background rate over an idle
 * window and subtracts it for the phase's duration: what remains is the operations' own cost.
 */
export class QueryMeter {
  private constructor(
    private readonly backend: BackendProcess,
    private readonly background: RoundTrips,
  ) {}

  static async calibrate(
    backend: BackendProcess,
    windowMs = 3000,
  ): Promise<QueryMeter> {
    const before = await backend.queries();
    const started = nowMs();
    await sleep(windowMs);
    const after = await backend.queries();
    const elapsed = nowMs() - started;
    const meter = new QueryMeter(backend, { plugin: 0, catalog: 0 });
    const idle = meter.split(before, after);
    return new QueryMeter(backend, {
      plugin: idle.plugin / elapsed,
      catalog: idle.catalog / elapsed,
    });
  }

  /** Runs `phase`, which performs `operations` operations, and returns its round trips each. */
  async measure<T>(
    operations: number,
    phase: () => Promise<T>,
  ): Promise<{ result: T; roundTrips: RoundTrips }> {
    const before = await this.backend.queries();
    const started = nowMs();
    const result = await phase();
    const elapsed = nowMs() - started;
    const total = this.split(before, await this.backend.queries());
    const per = (key: keyof RoundTrips) =>
      Math.max(0, total[key] - this.background[key] * elapsed) /
      Math.max(1, operations);
    return {
      result,
      roundTrips: { plugin: per('plugin'), catalog: per('catalog') },
    };
  }

  private split(
    before: Record<string, number>,
    after: Record<string, number>,
  ): RoundTrips {
    const delta = (name?: string) =>
      name ? (after[name] ?? 0) - (before[name] ?? 0) : 0;
    const { name, catalogName } = this.backend.options.database;
    return { plugin: delta(name), catalog: delta(catalogName) };
  }
}
