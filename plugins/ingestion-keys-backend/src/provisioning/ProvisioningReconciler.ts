import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  emptyRunReport,
  entityRefOf,
  formatProvisionEntry,
  holdsKeyIdentity,
  keyIdentityOf,
  ownerRefOf,
  parseProvisionAnnotation,
  PROVISION_ANNOTATION,
  ProvisioningProblem,
  ProvisioningRunReport,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { IngestionKeyStore } from '@ingestion-keys/plugin-ingestion-keys-node';
import { KeyRecord, KeyRecordStore } from '../database/KeyRecordStore';
import { ProvisioningRunStore } from '../database/ProvisioningRunStore';
import {
  DeclaredKey,
  IngestionKeysService,
} from '../service/IngestionKeysService';
import { runWithConcurrency } from './runWithConcurrency';
import { ListedKeys } from '../service/ListedKeys';
import { ProvisioningConfig } from '../service/readIngestionKeysConfig';
import { failureReasonsOf } from '../service/failureReasonsOf';
import { KeyNotifier } from '../notifications/KeyNotifier';
import { DeclaredTarget, DeliveryService } from '../delivery/DeliveryService';
import { PROVISIONING_ENTITY_FIELDS } from './provisioningEntityFields';

/**
 * Keys a run works on at once per key store call it may make at once (`concurrency`, which the
 * service's key store enforces): while some keys wait for the store, others are reserved and
 * recorded in the database, so the store is kept busy.
 */
const KEYS_IN_THE_WORKS_PER_STORE_CALL = 2;

/** Names a failure across runs: an entity's entry, or the key a failure was about. */
const problemId = (p: ProvisioningProblem) => `${p.entityRef}|${p.entry}`;

/** A run's failure on an existing key, named by the key since it has no entry of its own. */
function keyProblem(
  record: KeyRecord,
  doing: string,
  error: unknown,
): ProvisioningProblem {
  const { reason, readerReason } = failureReasonsOf(error);
  return {
    entityRef: record.entityRef,
    entry: record.name,
    reason: `${doing} failed: ${reason}`,
    ...(readerReason
      ? { readerReason: `${doing} failed: ${readerReason}` }
      : {}),
  };
}

/** Set in a run once the key store turned a create away, asking to be called less. */
interface TurnedAway {
  retryAfterSeconds?: number;
  /** The entries it turned away or that were not tried after: a later run makes them. */
  problems: Set<string>;
}

/**
 * Stops a run between pages once the scheduler aborted it (the run outlived its schedule's
 * timeout, or the backend is stopping), so that a later run does not overlap it.
 */
function stopIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) {
    throw new Error(
      'the run was aborted by the scheduler: it took longer than its schedule timeout, or the backend is stopping',
    );
  }
}

export interface ProvisioningReconcilerOptions
  extends Omit<ProvisioningConfig, 'schedule'> {
  catalog: CatalogService;
  auth: AuthService;
  service: IngestionKeysService;
  records: KeyRecordStore;
  runs: ProvisioningRunStore;
  keyStore: IngestionKeyStore;
  /** Keeps the targets the annotations declare. */
  deliveries: DeliveryService;
  logger: LoggerService;
  /** Tells owners of keys that became undesired and of entries that newly failed. */
  notifier?: KeyNotifier;
}

/**
 * Runs provisioning: streams the entities whose `ingestion-keys/provision` annotations declare
 * keys, batches them, hands each declared key that is missing (or whose reservation went stale)
 * to the service with bounded concurrency, settles the other stale reservations, marks the keys
 * nothing declares any more and counts it all in the run's report. The service decides each key;
 * the database's unique indexes make runs on several instances at once safe. It costs one list
 * call to the key store per run and never revokes unless told to.
 */
export class ProvisioningReconciler {
  static create(options: ProvisioningReconcilerOptions) {
    return new ProvisioningReconciler(options);
  }

  private constructor(
    private readonly options: ProvisioningReconcilerOptions,
  ) {}

  /** Runs once; `signal` is the scheduler's, and an aborted run stops with that in its report. */
  async run(signal?: AbortSignal): Promise<ProvisioningRunReport> {
    const { runs, logger } = this.options;
    const report = emptyRunReport(new Date().toISOString());
    // Owners are told of a failure once, when it first appears, not on every run it lasts:
    // compared with every failure of the last run, not only those its bounded report lists.
    const failedBefore = new Set(
      (this.options.notifier ? await runs.latestFailures() : []).map(problemId),
    );
    const turnedAway: TurnedAway = { problems: new Set() };
    try {
      await this.reconcile(report, signal, turnedAway);
    } catch (error) {
      report.error = isError(error) ? error.message : String(error);
      throw error;
    } finally {
      report.finishedAt = new Date().toISOString();
      await runs.save(report);
      // Nobody is told of entries the store only asked to wait for: there is nothing to do.
      for (const problem of report.failed) {
        const id = problemId(problem);
        if (!failedBefore.has(id) && !turnedAway.problems.has(id)) {
          await this.options.notifier?.provisioningFailed(problem);
        }
      }
      const stopped = report.error ? `; stopped early: ${report.error}` : '';
      logger.info(
        `Provisioning run: ${report.entitiesSeen} entities, ${report.keysCreated} created, ${report.keysAdopted} adopted, ` +
          `${report.failed.length} failed, ${report.undesiredCount} undesired, ${report.keysRevoked} revoked${stopped}`,
      );
    }
    return report;
  }

  /** Does the run's work, counting it in `report` as it goes. */
  private async reconcile(
    report: ProvisioningRunReport,
    signal: AbortSignal | undefined,
    turnedAway: TurnedAway,
  ): Promise<void> {
    const { catalog, auth, records, keyStore } = this.options;
    // Reservations are timestamped by the database, so their age is told by its clock too.
    const staleBefore = new Date(
      (await records.now()).getTime() - this.options.pendingTimeoutMs,
    );
    // One list per run: what the store already holds decides between adopting and creating.
    report.storeCalls.list++;
    const upstream = ListedKeys.of(await keyStore.list());
    const desiredIdentities = new Set<string>();
    const declaredTargets: DeclaredTarget[] = [];
    // The names of this store's live records the run came across: those need no asking below.
    const seenRecorded = new Set<string>();
    const credentials = await auth.getOwnServiceCredentials();

    // A page's keys are made while the next page is read from the catalog.
    let making = Promise.resolve();
    try {
      for await (const page of catalog.streamEntities(
        {
          filter: {
            [`metadata.annotations.${PROVISION_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          fields: PROVISIONING_ENTITY_FIELDS,
          pageSize: this.options.pageSize,
        },
        { credentials },
      )) {
        await making;
        stopIfAborted(signal);
        const work = await this.workOf(page, {
          report,
          staleBefore,
          desiredIdentities,
          declaredTargets,
          seenRecorded,
        });
        making = runWithConcurrency(
          work,
          this.options.concurrency * KEYS_IN_THE_WORKS_PER_STORE_CALL,
          item =>
            this.provision(
              item.want,
              item.pending,
              upstream,
              report,
              turnedAway,
            ),
        );
      }
    } finally {
      await making;
    }

    await this.settleStalePending(desiredIdentities, upstream, report, {
      staleBefore,
      signal,
    });
    await this.sweepUndesired(desiredIdentities, report, credentials, signal);
    // Only a run that saw every annotation may remove the targets none declares any more.
    stopIfAborted(signal);
    const synced = await this.options.deliveries.syncDeclared(declaredTargets);
    report.invalidEntries.push(...synced.invalid);
    await this.reportUnrecorded(upstream, seenRecorded, report, signal);
  }

  /**
   * The keys of a page of annotated entities that need making (missing, or held by a stale
   * reservation), counting what the page declares into the run.
   */
  private async workOf(
    page: Entity[],
    run: {
      report: ProvisioningRunReport;
      staleBefore: Date;
      desiredIdentities: Set<string>;
      declaredTargets: DeclaredTarget[];
      seenRecorded: Set<string>;
    },
  ): Promise<Array<{ want: DeclaredKey; pending?: KeyRecord }>> {
    const { report, staleBefore, desiredIdentities, declaredTargets } = run;
    const { records } = this.options;
    const desired: Array<DeclaredKey & { targets: string[] }> = [];
    for (const entity of page) {
      report.entitiesSeen++;
      desired.push(
        ...this.desiredKeysOf(
          entity,
          this.options.service.settings.environments,
          report.invalidEntries,
        ),
      );
    }
    declaredTargets.push(
      ...desired.flatMap(d =>
        d.targets.map(target => ({ spec: d.spec, entry: d.entry, target })),
      ),
    );
    const live = await records.findByEntities([
      ...new Set(desired.map(d => d.spec.entityRef)),
    ]);
    const liveByIdentity = new Map(
      live.filter(holdsKeyIdentity).map(r => [keyIdentityOf(r), r]),
    );
    const liveCount = new Map<string, number>();
    for (const { entityRef, name, provider } of live) {
      liveCount.set(entityRef, (liveCount.get(entityRef) ?? 0) + 1);
      if (provider === this.options.keyStore.id) {
        run.seenRecorded.add(name);
      }
    }
    const work: Array<{ want: DeclaredKey; pending?: KeyRecord }> = [];
    for (const want of desired) {
      const identity = keyIdentityOf(want.spec);
      desiredIdentities.add(identity);
      report.keysDesired++;
      const existing = liveByIdentity.get(identity);
      const { entityRef } = want.spec;
      const count = liveCount.get(entityRef) ?? 0;
      // Counted here, before creates run at once, so that they cannot race past the limit.
      const refusal = existing
        ? undefined
        : this.options.service.liveKeyLimitFor(entityRef, count);
      if (refusal) {
        report.failed.push({
          entityRef,
          entry: want.entry,
          reason: refusal.message,
        });
      } else if (!existing) {
        liveCount.set(entityRef, count + 1);
        work.push({ want });
      } else if (
        existing.status === 'pending' &&
        new Date(existing.createdAt) <= staleBefore
      ) {
        work.push({ want, pending: existing });
      }
    }
    return work;
  }

  /**
   * Reports this portal's keys in the store that no record accounts for, after the adoptions.
   * Only keys the run did not find recorded already are looked up: in a run with nothing to do,
   * none (a lookup per page of keys reads the whole table, so asking for all of them grew with
   * the square of the number of keys).
   */
  private async reportUnrecorded(
    listed: ListedKeys,
    seenRecorded: Set<string>,
    report: ProvisioningRunReport,
    signal: AbortSignal | undefined,
  ) {
    const keys = listed.all().filter(k => !seenRecorded.has(k.name));
    report.unrecordedKeys = [];
    for (let i = 0; i < keys.length; i += this.options.pageSize) {
      stopIfAborted(signal);
      report.unrecordedKeys.push(
        ...(await this.options.service.unrecordedAmong(
          keys.slice(i, i + this.options.pageSize),
        )),
      );
    }
  }

  private desiredKeysOf(
    entity: Entity,
    environments: string[],
    invalid: ProvisioningProblem[],
  ): Array<DeclaredKey & { targets: string[] }> {
    const entityRef = entityRefOf(entity);
    const annotation =
      entity.metadata.annotations?.[PROVISION_ANNOTATION] ?? '';
    const { entries, errors } = parseProvisionAnnotation(
      annotation,
      environments,
      { maxEntries: this.options.maxEntriesPerEntity },
    );
    invalid.push(
      ...errors.map(e => ({ entityRef, entry: e.entry, reason: e.reason })),
    );
    const ownerRef = ownerRefOf(entity);
    return entries.map(({ targets = [], ...entry }) => ({
      spec: { entityRef, ...entry },
      entry: formatProvisionEntry(entry),
      ownerRef,
      targets,
    }));
  }

  private async provision(
    want: DeclaredKey,
    pending: KeyRecord | undefined,
    listed: ListedKeys,
    report: ProvisioningRunReport,
    turnedAway: TurnedAway,
  ): Promise<void> {
    if (turnedAway.retryAfterSeconds !== undefined) {
      // The key store asked for fewer calls: the rest of this run's entries wait for the next.
      const notTried = {
        entityRef: want.spec.entityRef,
        entry: want.entry,
        reason: `not tried: the key store asked to wait ${turnedAway.retryAfterSeconds} s; a later run tries again`,
      };
      report.failed.push(notTried);
      turnedAway.problems.add(problemId(notTried));
      return;
    }
    const result = await this.options.service.ensureDeclaredKey(
      want,
      listed,
      pending,
    );
    if (result.createAttempted) {
      report.storeCalls.create++;
    }
    if (result.outcome === 'created') {
      report.keysCreated++;
    } else if (result.outcome === 'adopted') {
      report.keysAdopted++;
    } else if (result.outcome === 'failed') {
      const { reason, readerReason, retryAfterSeconds } = result;
      turnedAway.retryAfterSeconds ??= retryAfterSeconds;
      const failure = {
        entityRef: want.spec.entityRef,
        entry: want.entry,
        reason,
        ...(readerReason ? { readerReason } : {}),
      };
      report.failed.push(failure);
      if (retryAfterSeconds !== undefined) {
        turnedAway.problems.add(problemId(failure));
      }
    }
  }

  /**
   * Settles the stale reservations that no declared entry accounts for: manual creates and
   * rotations whose creator died between the key store and the database.
   */
  private async settleStalePending(
    desired: Set<string>,
    upstream: ListedKeys,
    report: ProvisioningRunReport,
    run: { staleBefore: Date; signal: AbortSignal | undefined },
  ) {
    const { records, service } = this.options;
    for await (const page of records.streamStalePending(
      run.staleBefore,
      this.options.pageSize,
    )) {
      stopIfAborted(run.signal);
      for (const pending of page) {
        if (holdsKeyIdentity(pending) && desired.has(keyIdentityOf(pending))) {
          continue; // settled above, with its entry
        }
        try {
          const outcome = await service.settleStaleReservation(
            pending,
            upstream,
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
    signal: AbortSignal | undefined,
  ) {
    const { records, catalog, service } = this.options;
    const revokeAfter = this.options.revokeUndesiredAfterMs;
    for await (const page of records.streamProvisioned(this.options.pageSize)) {
      stopIfAborted(signal);
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
      const entryRemoved = unwanted.filter(r => existing.has(r.entityRef));
      await records.markUndesired(
        removed.map(r => r.id),
        'entity-removed',
      );
      await records.markUndesired(
        entryRemoved.map(r => r.id),
        'entry-removed',
      );
      // Owners hear of a key once, when it first becomes undesired.
      for (const [keys, reason] of [
        [removed, 'entity-removed'],
        [entryRemoved, 'entry-removed'],
      ] as const) {
        for (const record of keys.filter(r => !r.undesiredSince)) {
          await this.options.notifier?.keyUndesired(record, reason);
        }
      }
      if (revokeAfter === undefined) {
        continue;
      }
      for (const record of unwanted) {
        const since = record.undesiredSince
          ? new Date(record.undesiredSince).getTime()
          : Date.now();
        if (Date.now() - since >= revokeAfter) {
          try {
            await service.revokeUndesiredKey(record);
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
