import { SchedulerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  entityProvisioningStatus,
  entityRefOf,
  EntityProvisioningStatus,
  OwnedProvisioningProblems,
  holdsKeyIdentity,
  keyIdentityOf,
  PROVISION_ANNOTATION,
  provisioningProblemsOf,
  ProvisioningStatusResponse,
  toUndesiredKey,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { KeyRecordStore } from '../database/KeyRecordStore';
import { runWithConcurrency } from './runWithConcurrency';
import {
  EntityRunPart,
  ProvisioningRunStore,
} from '../database/ProvisioningRunStore';

export const PROVISIONING_TASK_ID = 'ingestion-keys-provisioning';

/** Entities whose status is read at once when a page gathers many (a team's). */
const STATUS_READS_IN_FLIGHT = 8;

/**
 * A run report as an entity's readers may see it: failures in the words they may be told, and
 * no upstream error behind a run that stopped early.
 */
function forReaders(report: EntityRunPart): EntityRunPart {
  return {
    ...report,
    failed: report.failed.map(({ readerReason, ...failure }) => ({
      ...failure,
      reason: readerReason ?? failure.reason,
    })),
    ...(report.error
      ? {
          error:
            'the key store or the database failed; an ingestion-keys admin can see the details',
        }
      : {}),
  };
}

/** What the API tells about provisioning: per entity, org-wide, and running it on demand. */
export class ProvisioningService {
  static create(options: {
    records: KeyRecordStore;
    runs: ProvisioningRunStore;
    scheduler: SchedulerService;
    environments: string[];
    /** As the reconciler reads annotations; undefined when provisioning is off. */
    maxEntriesPerEntity?: number;
  }) {
    return new ProvisioningService(options);
  }

  private constructor(
    private readonly options: {
      records: KeyRecordStore;
      runs: ProvisioningRunStore;
      scheduler: SchedulerService;
      environments: string[];
      maxEntriesPerEntity?: number;
    },
  ) {}

  async overview(): Promise<ProvisioningStatusResponse> {
    const [lastRun, undesired] = await Promise.all([
      this.options.runs.latest(),
      this.options.records.listUndesired({}),
    ]);
    return {
      ...(lastRun ? { lastRun } : {}),
      undesired: undesired.map(toUndesiredKey),
    };
  }

  /**
   * Where each key an entity declares stands: provisioned, pending (not made yet, or being
   * made) or failed with the last run's reason; plus invalid entries and keys no longer declared.
   * Only admins (`detailed`) are told failures in full.
   */
  async entityStatus(
    entity: Entity,
    { detailed }: { detailed: boolean },
  ): Promise<EntityProvisioningStatus> {
    const { records, runs, environments } = this.options;
    const entityRef = entityRefOf(entity);
    const [live, lastRun, undesired] = await Promise.all([
      records.findByEntities([entityRef]),
      runs.latestFor(entityRef),
      records.listUndesired({ entityRef }),
    ]);
    const byIdentity = new Map(
      live.filter(holdsKeyIdentity).map(r => [keyIdentityOf(r), r]),
    );
    return entityProvisioningStatus({
      entityRef,
      annotation: entity.metadata.annotations?.[PROVISION_ANNOTATION],
      environments,
      maxEntries: this.options.maxEntriesPerEntity,
      keyFor: spec => byIdentity.get(keyIdentityOf(spec)),
      ...(lastRun ? { lastRun: detailed ? lastRun : forReaders(lastRun) } : {}),
      undesired: undesired.map(toUndesiredKey),
    });
  }

  /**
   * The problems of a set of entities (those a user's teams own), as their readers may see
   * them: what the entities' own status tells, gathered into one list per kind of problem.
   */
  async problemsOf(entities: Entity[]): Promise<OwnedProvisioningProblems> {
    const statuses = new Array<EntityProvisioningStatus>(entities.length);
    // A few entities at a time: a team owning thousands must not queue all their reads at once
    // on the database's connection pool.
    await runWithConcurrency(
      [...entities.keys()],
      STATUS_READS_IN_FLIGHT,
      async i => {
        statuses[i] = await this.entityStatus(entities[i], { detailed: false });
      },
    );
    return provisioningProblemsOf(statuses);
  }

  /** Asks the scheduler for a run now; with several instances, one of them runs it. */
  async triggerRun(): Promise<void> {
    await this.options.scheduler.triggerTask(PROVISIONING_TASK_ID);
  }
}
