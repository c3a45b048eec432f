import { Knex } from 'knex';
import { ProvisioningRunReport } from '@ingestion-keys/plugin-ingestion-keys-common';

const RUNS = 'ingestion_key_provisioning_runs';
/** Older reports are history nobody reads; keep a bounded number. */
const RUNS_KEPT = 50;

/** Reports of reconciler runs, shared by every backend instance through the database. */
export class ProvisioningRunStore {
  static create(options: { db: Knex }) {
    return new ProvisioningRunStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async save(report: ProvisioningRunReport): Promise<void> {
    await this.db(RUNS).insert({
      started_at: new Date(report.startedAt),
      finished_at: new Date(report.finishedAt),
      report: JSON.stringify(report),
    });
    const stale = await this.db(RUNS)
      .select('id')
      .orderBy('id', 'desc')
      .offset(RUNS_KEPT)
      .limit(1000);
    if (stale.length) {
      await this.db(RUNS)
        .whereIn(
          'id',
          stale.map(r => r.id),
        )
        .delete();
    }
  }

  async latest(): Promise<ProvisioningRunReport | undefined> {
    const row = await this.db(RUNS).orderBy('id', 'desc').first();
    return row ? (JSON.parse(row.report) as ProvisioningRunReport) : undefined;
  }
}
