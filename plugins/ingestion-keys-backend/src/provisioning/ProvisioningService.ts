import { SchedulerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  entityRefOf,
  EntityProvisioningStatus,
  formatProvisionEntry,
  holdsKeyIdentity,
  keyIdentityOf,
  parseProvisionAnnotation,
  PROVISION_ANNOTATION,
  ProvisioningStatusResponse,
  UndesiredKey,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { KeyRecord, KeyRecordStore } from '../database/KeyRecordStore';
import { ProvisioningRunStore } from '../database/ProvisioningRunStore';

export const PROVISIONING_TASK_ID = 'ingestion-keys-provisioning';

function toUndesiredKey(record: KeyRecord): UndesiredKey {
  return {
    keyId: record.id,
    keyName: record.name,
    entityRef: record.entityRef,
    environment: record.environment,
    type: record.type,
    ...(record.integration ? { integration: record.integration } : {}),
    reason: record.undesiredReason ?? 'entry-removed',
    since: record.undesiredSince ?? record.createdAt,
  };
}

/** What the API tells about provisioning: per entity, org-wide, and running it on demand. */
export class ProvisioningService {
  static create(options: {
    records: KeyRecordStore;
    runs: ProvisioningRunStore;
    scheduler: SchedulerService;
    environments: string[];
  }) {
    return new ProvisioningService(options);
  }

  private constructor(
    private readonly options: {
      records: KeyRecordStore;
      runs: ProvisioningRunStore;
      scheduler: SchedulerService;
      environments: string[];
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
   */
  async entityStatus(entity: Entity): Promise<EntityProvisioningStatus> {
    const { records, runs, environments } = this.options;
    const entityRef = entityRefOf(entity);
    const annotation = entity.metadata.annotations?.[PROVISION_ANNOTATION];
    const { entries, errors } = parseProvisionAnnotation(
      annotation ?? '',
      environments,
    );
    const [live, lastRun, undesired] = await Promise.all([
      records.findByEntities([entityRef]),
      runs.latest(),
      records.listUndesired({ entityRef }),
    ]);
    const byIdentity = new Map(
      live.filter(holdsKeyIdentity).map(r => [keyIdentityOf(r), r]),
    );
    const failures = new Map(
      (lastRun?.failed ?? [])
        .filter(f => f.entityRef === entityRef)
        .map(f => [f.entry, f.reason]),
    );
    return {
      entityRef,
      ...(annotation !== undefined ? { annotation } : {}),
      entries: entries.map(entry => {
        const text = formatProvisionEntry(entry);
        const record = byIdentity.get(keyIdentityOf({ entityRef, ...entry }));
        const reason =
          record?.status === 'active'
            ? undefined
            : failures.get(text) ??
              (lastRun?.error &&
                `the last provisioning run stopped early: ${lastRun.error}`);
        let state: 'provisioned' | 'failed' | 'pending' = 'pending';
        if (record?.status === 'active') {
          state = 'provisioned';
        } else if (reason) {
          state = 'failed';
        }
        return {
          entry: text,
          ...entry,
          state,
          ...(record ? { keyId: record.id, keyName: record.name } : {}),
          ...(reason ? { reason } : {}),
        };
      }),
      invalidEntries: errors.map(e => ({
        entityRef,
        entry: e.entry,
        reason: e.reason,
      })),
      undesired: undesired.map(toUndesiredKey),
    };
  }

  /** Asks the scheduler for a run now; with several instances, one of them runs it. */
  async triggerRun(): Promise<void> {
    await this.options.scheduler.triggerTask(PROVISIONING_TASK_ID);
  }
}
