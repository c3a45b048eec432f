import { Knex } from 'knex';
import {
  ProvisioningProblem,
  ProvisioningRunReport,
} from '@ingestion-keys/plugin-ingestion-keys-common';

const RUNS = 'ingestion_key_provisioning_runs';
const ENTITY_FAILURES = 'ingestion_key_provisioning_entity_failures';
/** Older reports are history nobody reads; keep a bounded number. */
const RUNS_KEPT = 50;
/** Problems of each kind a stored report lists; the rest are counted. Entities keep all theirs. */
export const REPORT_PROBLEMS_LISTED = 100;

/** What an entity's status needs of the last run: its own failures, and why the run stopped. */
export type EntityRunPart = Pick<ProvisioningRunReport, 'failed' | 'error'>;

function bounded(report: ProvisioningRunReport): ProvisioningRunReport {
  const unrecorded = report.unrecordedKeys ?? [];
  const unlisted = {
    failed: Math.max(0, report.failed.length - REPORT_PROBLEMS_LISTED),
    invalidEntries: Math.max(
      0,
      report.invalidEntries.length - REPORT_PROBLEMS_LISTED,
    ),
    ...(unrecorded.length > REPORT_PROBLEMS_LISTED
      ? { unrecordedKeys: unrecorded.length - REPORT_PROBLEMS_LISTED }
      : {}),
  };
  return {
    ...report,
    failed: report.failed.slice(0, REPORT_PROBLEMS_LISTED),
    invalidEntries: report.invalidEntries.slice(0, REPORT_PROBLEMS_LISTED),
    ...(report.unrecordedKeys
      ? { unrecordedKeys: unrecorded.slice(0, REPORT_PROBLEMS_LISTED) }
      : {}),
    ...(unlisted.failed || unlisted.invalidEntries || unlisted.unrecordedKeys
      ? { unlisted }
      : {}),
  };
}

/**
 * Reports of reconciler runs, shared by every backend instance through the database: each run's
 * report, bounded, and each entity's failures in the last run, read on their own.
 */
export class ProvisioningRunStore {
  static create(options: { db: Knex }) {
    return new ProvisioningRunStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async save(report: ProvisioningRunReport): Promise<void> {
    const byEntity = new Map<string, ProvisioningProblem[]>();
    for (const failure of report.failed) {
      byEntity.set(failure.entityRef, [
        ...(byEntity.get(failure.entityRef) ?? []),
        failure,
      ]);
    }
    await this.db.transaction(async tx => {
      const [{ id }] = await tx(RUNS)
        .insert({
          started_at: new Date(report.startedAt),
          finished_at: new Date(report.finishedAt),
          error: report.error ?? null,
          report: JSON.stringify(bounded(report)),
        })
        .returning('id');
      // Only the last run's parts are read.
      await tx(ENTITY_FAILURES).where('run_id', '<', id).delete();
      await tx.batchInsert(
        ENTITY_FAILURES,
        [...byEntity].map(([entityRef, failed]) => ({
          run_id: id,
          entity_ref: entityRef,
          failed: JSON.stringify(failed),
        })),
        500,
      );
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

  /** Every failure of the last run, also those beyond what its bounded report lists. */
  async latestFailures(): Promise<ProvisioningProblem[]> {
    const run = await this.db(RUNS).orderBy('id', 'desc').first('id');
    if (!run) {
      return [];
    }
    const parts = await this.db(ENTITY_FAILURES)
      .where({ run_id: run.id })
      .select('failed');
    return parts.flatMap(part => JSON.parse(part.failed));
  }

  /** The entity's part of the last run, without reading the run's report. */
  async latestFor(entityRef: string): Promise<EntityRunPart | undefined> {
    const run = await this.db(RUNS).orderBy('id', 'desc').first('id', 'error');
    if (!run) {
      return undefined;
    }
    const part = await this.db(ENTITY_FAILURES)
      .where({ run_id: run.id, entity_ref: entityRef })
      .first('failed');
    return {
      failed: part ? JSON.parse(part.failed) : [],
      ...(run.error ? { error: run.error } : {}),
    };
  }
}
