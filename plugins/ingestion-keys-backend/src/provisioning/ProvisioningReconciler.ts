import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  entityRefOf,
  formatProvisionEntry,
  holdsKeyIdentity,
  IngestionKeySpec,
  isSameKeyIdentity,
  keyIdentityOf,
  ownerRefOf,
  parseProvisionAnnotation,
  PROVISION_ANNOTATION,
  ProvisioningProblem,
  ProvisioningRunReport,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  IngestionKeyStore,
  StoredKeySummary,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { KeyRecord, KeyRecordStore } from '../database/KeyRecordStore';
import { ProvisioningRunStore } from '../database/ProvisioningRunStore';
import { IngestionKeysService } from '../service/IngestionKeysService';
import { keyAuditMeta, runAudited } from '../audit/runAudited';
import { runWithConcurrency } from './runWithConcurrency';
import { ProvisioningConfig } from '../service/readIngestionKeysConfig';

/** A run's failure on an existing key, named by the key since it has no entry of its own. */
function keyProblem(
  record: KeyRecord,
  doing: string,
  error: unknown,
): ProvisioningProblem {
  return {
    entityRef: record.entityRef,
    entry: record.name,
    reason: `${doing} failed: ${isError(error) ? error.message : error}`,
  };
}

/** Who provisioned keys are recorded as created by. */
export const PROVISIONER = 'plugin:ingestion-keys/provisioner';

export interface ProvisioningReconcilerOptions
  extends Omit<ProvisioningConfig, 'schedule'> {
  catalog: CatalogService;
  auth: AuthService;
  service: IngestionKeysService;
  records: KeyRecordStore;
  runs: ProvisioningRunStore;
  keyStore: IngestionKeyStore;
  logger: LoggerService;
  auditor: AuditorService;
}

interface Desired {
  spec: IngestionKeySpec;
  entry: string;
  ownerRef?: string;
}

/**
 * Makes the keys declared in `ingestion-keys/provision` annotations exist. Safe to run on
 * several instances at once: every create is first reserved under the database's unique
 * identity index, so a race ends in a conflict, never in a second key. It costs one list call
 * to the key store per run, streams the catalog in pages and never revokes unless told to.
 */
export class ProvisioningReconciler {
  static create(options: ProvisioningReconcilerOptions) {
    return new ProvisioningReconciler(options);
  }

  private constructor(
    private readonly options: ProvisioningReconcilerOptions,
  ) {}

  async run(): Promise<ProvisioningRunReport> {
    const { runs, logger } = this.options;
    const startedAt = new Date().toISOString();
    const report: ProvisioningRunReport = {
      startedAt,
      finishedAt: startedAt,
      entitiesSeen: 0,
      keysDesired: 0,
      keysCreated: 0,
      keysAdopted: 0,
      keysRevoked: 0,
      failed: [],
      invalidEntries: [],
      undesiredCount: 0,
      storeCalls: { list: 0, create: 0 },
    };
    try {
      await this.reconcile(report);
    } catch (error) {
      report.error = isError(error) ? error.message : String(error);
      throw error;
    } finally {
      report.finishedAt = new Date().toISOString();
      await runs.save(report);
      const stopped = report.error ? `; stopped early: ${report.error}` : '';
      logger.info(
        `Provisioning run: ${report.entitiesSeen} entities, ${report.keysCreated} created, ${report.keysAdopted} adopted, ` +
          `${report.failed.length} failed, ${report.undesiredCount} undesired, ${report.keysRevoked} revoked${stopped}`,
      );
    }
    return report;
  }

  /** Does the run's work, counting it in `report` as it goes. */
  private async reconcile(report: ProvisioningRunReport): Promise<void> {
    const { catalog, auth, records, keyStore } = this.options;
    // One list per run: what the store already holds decides between adopting and creating.
    report.storeCalls.list++;
    const upstream = new Map<string, StoredKeySummary>(
      (await keyStore.list()).map(k => [k.name, k]),
    );
    const desiredIdentities = new Set<string>();
    const settings = this.options.service.settings;
    const credentials = await auth.getOwnServiceCredentials();

    for await (const page of catalog.streamEntities(
      {
        filter: {
          [`metadata.annotations.${PROVISION_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
          'relations',
        ],
        pageSize: this.options.pageSize,
      },
      { credentials },
    )) {
      const desired: Desired[] = [];
      for (const entity of page) {
        report.entitiesSeen++;
        desired.push(
          ...this.desiredKeysOf(
            entity,
            settings.environments,
            report.invalidEntries,
          ),
        );
      }
      const live = await records.findByEntities([
        ...new Set(desired.map(d => d.spec.entityRef)),
      ]);
      const liveByIdentity = new Map(
        live.filter(holdsKeyIdentity).map(r => [keyIdentityOf(r), r]),
      );
      const work: Array<{ want: Desired; pending?: KeyRecord }> = [];
      for (const want of desired) {
        const identity = keyIdentityOf(want.spec);
        desiredIdentities.add(identity);
        report.keysDesired++;
        const existing = liveByIdentity.get(identity);
        if (!existing) {
          work.push({ want });
        } else if (existing.status === 'pending' && this.isStale(existing)) {
          work.push({ want, pending: existing });
        }
      }
      await runWithConcurrency(work, this.options.concurrency, item =>
        this.provision(item.want, item.pending, upstream, report),
      );
    }

    await this.settleStalePending(desiredIdentities, upstream, report);
    await this.sweepUndesired(desiredIdentities, report, credentials);
  }

  private desiredKeysOf(
    entity: Entity,
    environments: string[],
    invalid: ProvisioningProblem[],
  ): Desired[] {
    const entityRef = entityRefOf(entity);
    const annotation =
      entity.metadata.annotations?.[PROVISION_ANNOTATION] ?? '';
    const { entries, errors } = parseProvisionAnnotation(
      annotation,
      environments,
    );
    invalid.push(
      ...errors.map(e => ({ entityRef, entry: e.entry, reason: e.reason })),
    );
    const ownerRef = ownerRefOf(entity);
    return entries.map(entry => ({
      spec: { entityRef, ...entry },
      entry: formatProvisionEntry(entry),
      ownerRef,
    }));
  }

  /**
   * Whether a live record now holds this identity: a conflict then came from a concurrent
   * reservation, not from the key store refusing a name that is taken there.
   */
  private async isHeldElsewhere(spec: IngestionKeySpec): Promise<boolean> {
    const identity = keyIdentityOf(spec);
    const live = await this.options.records.findByEntities([spec.entityRef]);
    return live.some(r => holdsKeyIdentity(r) && keyIdentityOf(r) === identity);
  }

  /** Changes the reconciler makes on its own are audited like those made on a request. */
  private audited<T>(
    eventId: string,
    meta: Record<string, string>,
    action: () => Promise<T>,
  ): Promise<T> {
    return runAudited(
      this.options.auditor,
      {
        eventId,
        severityLevel: 'medium',
        meta: { actor: PROVISIONER, ...meta },
      },
      action,
    );
  }

  private isStale(record: KeyRecord): boolean {
    return (
      Date.now() - new Date(record.createdAt).getTime() >=
      this.options.pendingTimeoutMs
    );
  }

  private async provision(
    want: Desired,
    pending: KeyRecord | undefined,
    upstream: Map<string, StoredKeySummary>,
    report: ProvisioningRunReport,
  ): Promise<void> {
    const { service, records, keyStore } = this.options;
    const by = {
      actor: PROVISIONER,
      ownerRef: want.ownerRef,
      origin: 'provisioned' as const,
    };
    const name = pending?.name ?? service.nameFor(want.spec, 1);
    const found = upstream.get(name);
    try {
      if (found && !isSameKeyIdentity(found.tags, service.tagsFor(want.spec))) {
        throw new ConflictError(
          `the key store already holds a key named ${name} that this portal did not create for ${want.entry}`,
        );
      }
      if (
        found?.providerKeyId &&
        (await records.wasRevoked(keyStore.id, found.providerKeyId))
      ) {
        // Revoked moments ago and still in the store's lagging list: made anew once it is gone.
        return;
      }
      await this.audited(
        found ? 'key-adopt' : 'key-create',
        { keyName: name, entityRef: want.spec.entityRef, entry: want.entry },
        async () => {
          // A stale reservation is adopted if the store has its key, else dropped and made anew.
          if (
            pending &&
            (await service.settleReservation(pending, found, by)) === 'adopted'
          ) {
            report.keysAdopted++;
          } else if (found) {
            await service.adoptKey(want.spec, found, by);
            report.keysAdopted++;
          } else {
            report.storeCalls.create++;
            // Sensors pull their remote configuration with their key, as keys made in the UI do.
            await service.createKey(
              { ...want.spec, remoteConfig: want.spec.type === 'sensor' },
              by,
            );
            report.keysCreated++;
          }
        },
      );
    } catch (error) {
      if (
        isError(error) &&
        error.name === 'ConflictError' &&
        !found &&
        (await this.isHeldElsewhere(want.spec))
      ) {
        // Another instance reserved the same key a moment ago: it is being made, once.
        return;
      }
      report.failed.push({
        entityRef: want.spec.entityRef,
        entry: want.entry,
        reason: isError(error) ? error.message : String(error),
      });
    }
  }

  /**
   * Settles the stale reservations that no declared entry accounts for: manual creates and
   * rotations whose creator died between the key store and the database.
   */
  private async settleStalePending(
    desired: Set<string>,
    upstream: Map<string, StoredKeySummary>,
    report: ProvisioningRunReport,
  ) {
    const { records, service } = this.options;
    for await (const page of records.streamStalePending(
      new Date(Date.now() - this.options.pendingTimeoutMs),
      this.options.pageSize,
    )) {
      for (const pending of page) {
        if (holdsKeyIdentity(pending) && desired.has(keyIdentityOf(pending))) {
          continue; // settled above, with its entry
        }
        try {
          const outcome = await this.audited(
            'key-settle',
            keyAuditMeta(pending),
            () =>
              service.settleReservation(pending, upstream.get(pending.name), {
                actor: PROVISIONER,
              }),
          );
          if (outcome === 'adopted') {
            report.keysAdopted++;
          }
        } catch (error) {
          report.failed.push(
            keyProblem(pending, 'settling the unfinished key', error),
          );
        }
      }
    }
  }

  private async sweepUndesired(
    desired: Set<string>,
    report: ProvisioningRunReport,
    credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>,
  ) {
    const { records, catalog, service } = this.options;
    const revokeAfter = this.options.revokeUndesiredAfterMs;
    for await (const page of records.streamProvisioned(this.options.pageSize)) {
      const unwanted = page.filter(r => !desired.has(keyIdentityOf(r)));
      const wantedAgain = page.filter(
        r => r.undesiredSince && desired.has(keyIdentityOf(r)),
      );
      await records.clearUndesired(wantedAgain.map(r => r.id));
      if (unwanted.length === 0) {
        continue;
      }
      report.undesiredCount += unwanted.length;
      const refs = [...new Set(unwanted.map(r => r.entityRef))];
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      const existing = new Set(items.flatMap(e => (e ? [entityRefOf(e)] : [])));
      const removed = unwanted.filter(r => !existing.has(r.entityRef));
      await records.markUndesired(
        removed.map(r => r.id),
        'entity-removed',
      );
      await records.markUndesired(
        unwanted.filter(r => existing.has(r.entityRef)).map(r => r.id),
        'entry-removed',
      );
      if (revokeAfter === undefined) {
        continue;
      }
      for (const record of unwanted) {
        const since = record.undesiredSince
          ? new Date(record.undesiredSince).getTime()
          : Date.now();
        if (Date.now() - since >= revokeAfter) {
          try {
            await this.audited('key-revoke', keyAuditMeta(record), () =>
              service.revokeKey(record.id, { actor: PROVISIONER }),
            );
            report.keysRevoked++;
          } catch (error) {
            report.failed.push(
              keyProblem(record, 'revoking the undesired key', error),
            );
          }
        }
      }
    }
  }
}
