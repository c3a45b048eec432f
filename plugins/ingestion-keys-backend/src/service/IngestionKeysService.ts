import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  CreateKeyRequest,
  EventListResponse,
  generateKeyName,
  IngestionKey,
  IngestionKeyAction,
  IngestionKeyOrigin,
  IngestionKeySecret,
  IngestionKeySpec,
  IngestionKeysSettings,
  IngestionKeyWithSecret,
  holdsKeyIdentity,
  isSameKeyIdentity,
  KeyListResponse,
  keyIdentityOf,
  keySpecOf,
  keyTagsFor,
  normalizeEntityRef,
  PROVISIONER,
  provisionedKeyRequest,
  rotationRefusal,
  successorOf,
  UnrecordedKey,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  IngestionKeyStore,
  KeyStoreBusyError,
  KeyStoreError,
  StoredKey,
  StoredKeySummary,
  StoredKeyTags,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import {
  KeyRecord,
  KeyRecordQuery,
  KeyRecordStore,
  NewKeyRecord,
} from '../database/KeyRecordStore';
import { toIngestionKey } from './toIngestionKey';
import { ListedKeys } from './ListedKeys';
import { failureReasonsOf } from './failureReasonsOf';
import { LiveKeyLimitError } from './LiveKeyLimitError';
import { KeyReplacedError } from './KeyReplacedError';
import { AuditedEvent, keyAuditMeta, runAudited } from '../audit/runAudited';
import { KeyNotifier } from '../notifications/KeyNotifier';

export interface IngestionKeysServiceOptions {
  records: KeyRecordStore;
  keyStore: IngestionKeyStore;
  settings: IngestionKeysSettings;
  /** Tag value that marks keys as this portal's in the key store. */
  managedBy: string;
  /** Live keys an entity may have before a new one is refused; rotations do not count. */
  maxLiveKeysPerEntity: number;
  logger: LoggerService;
  /** Audits the changes provisioning makes on its own, as those made on a request are. */
  auditor: AuditorService;
  /** Tells the owners of a key's entity that it was revoked or rotated; absent, nobody is. */
  notifier?: KeyNotifier;
}

/** Who asks, and on whose behalf a key is created. */
export interface KeyActor {
  actor: string;
  ownerRef?: string;
  origin?: IngestionKeyOrigin;
}

/** A key an entity's `ingestion-keys/provision` annotation declares. */
export interface DeclaredKey {
  spec: IngestionKeySpec;
  /** The entry as the annotation writes it. */
  entry: string;
  ownerRef?: string;
}

/**
 * What provisioning a declared key came to: `skipped` when the store still lists a key revoked
 * moments ago, `held-elsewhere` when a concurrent reservation (another instance) is making it.
 */
export type DeclaredKeyOutcome =
  | { outcome: 'created' | 'adopted' | 'skipped' | 'held-elsewhere' }
  | {
      outcome: 'failed';
      reason: string;
      readerReason?: string;
      /** The key store turned the create away and asked for this wait before the next. */
      retryAfterSeconds?: number;
    };

/** A declared key's outcome, and whether a new key was asked of the key store for it. */
export type DeclaredKeyResult = DeclaredKeyOutcome & {
  createAttempted: boolean;
};

const isConflict = (error: unknown) =>
  isError(error) && error.name === 'ConflictError';

/** A store's trouble that may have passed after it made the key; a busy store made nothing. */
const isUnknownOutcome = (error: unknown): error is Error =>
  isError(error) &&
  error.name === 'ServiceUnavailableError' &&
  !(error instanceof KeyStoreBusyError);

/**
 * The business logic of ingestion keys: naming, the two-phase create that keeps the plugin
 * database and the key store in step, rotation, revocation and the audit trail.
 *
 * Every change is first reserved in the database, whose unique indexes decide races, and only
 * then made in the key store; a store call that certainly failed drops the reservation, and one
 * whose outcome is unknown leaves it pending for provisioning to settle, so that neither a
 * half-written record nor an unrecorded key is left behind.
 */
export class IngestionKeysService {
  static create(options: IngestionKeysServiceOptions) {
    return new IngestionKeysService(options);
  }

  private constructor(private readonly options: IngestionKeysServiceOptions) {}

  get settings(): IngestionKeysSettings {
    return this.options.settings;
  }

  /** Keys by the API's filters; `entityRefs` limits them to a set of entities. */
  async listKeys(query: KeyRecordQuery): Promise<KeyListResponse> {
    const { items, totalCount } = await this.options.records.list(query);
    return { items: items.map(toIngestionKey), totalCount };
  }

  async getKey(id: string): Promise<KeyRecord> {
    const record = await this.options.records.get(id);
    if (!record) {
      throw new NotFoundError(`No ingestion key with id ${id}`);
    }
    return record;
  }

  async createKey(
    request: CreateKeyRequest,
    by: KeyActor,
  ): Promise<IngestionKeyWithSecret> {
    this.validate(request);
    await this.assertRoomForKey(request.entityRef);
    return this.createRecordedKey({
      ...keySpecOf(request),
      name: this.nameFor(request, 1),
      remoteConfig: request.remoteConfig ?? false,
      provider: this.options.keyStore.id,
      origin: by.origin ?? 'manual',
      createdBy: by.actor,
      ownerRef: by.ownerRef,
      generation: 1,
    });
  }

  /**
   * The live key that stands for this identity, made when there is none: for callers that ask
   * again after a failure or a timeout (MCP tools, scaffolder tasks) and must never carry a
   * secret. A new key's value is dropped here; its owners reveal it on the entity's tab.
   */
  async ensureKey(
    request: CreateKeyRequest,
    by: KeyActor,
  ): Promise<{ key: IngestionKey; created: boolean }> {
    this.validate(request);
    const existing = await this.liveKeyFor(request);
    if (existing) {
      return { key: existing, created: false };
    }
    try {
      const { key } = await this.createKey(request, by);
      return { key, created: true };
    } catch (error) {
      // A concurrent create of the same identity won the race: its key is the answer.
      const raced = isConflict(error)
        ? await this.liveKeyFor(request)
        : undefined;
      if (raced) {
        return { key: raced, created: false };
      }
      throw error;
    }
  }

  /** The live key (pending, active, or a rotation's active successor) of an identity. */
  private async liveKeyFor(
    spec: IngestionKeySpec,
  ): Promise<IngestionKey | undefined> {
    const record = await this.liveRecordFor(spec);
    return record && toIngestionKey(record);
  }

  private async liveRecordFor(
    spec: IngestionKeySpec,
  ): Promise<KeyRecord | undefined> {
    const identity = keyIdentityOf(spec);
    const live = await this.options.records.findByEntities([
      normalizeEntityRef(spec.entityRef),
    ]);
    return live.find(r => holdsKeyIdentity(r) && keyIdentityOf(r) === identity);
  }

  /** The active key of an identity (a rotation's successor once there is one), if any. */
  async activeKeyOf(spec: IngestionKeySpec): Promise<KeyRecord | undefined> {
    const record = await this.liveRecordFor(spec);
    return record?.status === 'active' ? record : undefined;
  }

  /** The newest key of this name, live or revoked. */
  async getKeyByName(name: string): Promise<KeyRecord | undefined> {
    return this.options.records.getByName(name);
  }

  /**
   * A key's value for a delivery, which records itself (the target, the generation, the outcome)
   * instead of a reveal by a person.
   */
  async secretForDelivery(record: KeyRecord): Promise<string> {
    return this.storedSecretOf(record, 'delivered');
  }

  private async storedSecretOf(
    record: KeyRecord,
    action: string,
  ): Promise<string> {
    this.assertLive(record, action);
    const stored = await this.options.keyStore.get(record.name, {
      waitForVisibility: true,
    });
    if (!stored) {
      throw new KeyStoreError(
        `Key ${record.name} is recorded here but missing from the ${record.provider} key store; revoke it and create a new one`,
      );
    }
    await this.assertRecordedKey(record, stored, action);
    return stored.secret;
  }

  /**
   * Makes a declared key exist, given what the key store listed at the start of the run (by
   * name) and, when there is one, the stale reservation that holds its identity: adopts the
   * key when the store holds it with this identity's tags, creates it otherwise. Never throws:
   * a failure is an outcome, reported with the entry.
   */
  async ensureDeclaredKey(
    want: DeclaredKey,
    listed: ListedKeys,
    pending?: KeyRecord,
  ): Promise<DeclaredKeyResult> {
    const ours = pending ? undefined : this.newestListed(want.spec, listed);
    const name = pending?.name ?? ours?.name ?? this.nameFor(want.spec, 1);
    const found = ours ?? listed.get(name);
    let createAttempted = false;
    try {
      if (found && !isSameKeyIdentity(found.tags, this.tagsFor(want.spec))) {
        throw new ConflictError(
          `the key store already holds a key named ${name} that this portal did not create for ${want.entry}`,
        );
      }
      if (
        found?.providerKeyId &&
        (await this.options.records.wasRevoked(
          this.options.keyStore.id,
          found.providerKeyId,
        ))
      ) {
        // Revoked moments ago and still in the store's lagging list: made anew once it is gone.
        return { outcome: 'skipped', createAttempted };
      }
      const by = {
        actor: PROVISIONER,
        ownerRef: want.ownerRef,
        origin: 'provisioned' as const,
      };
      const outcome = await this.provisionerAudited(
        found ? 'key-adopt' : 'key-create',
        { keyName: name, entityRef: want.spec.entityRef, entry: want.entry },
        async () => {
          // A stale reservation is adopted if the store has its key, else dropped and made anew.
          if (pending && (await this.settle(pending, found)) === 'adopted') {
            return 'adopted' as const;
          }
          if (found) {
            await this.adoptKey(want.spec, found, by);
            return 'adopted' as const;
          }
          createAttempted = true;
          await this.createKey(provisionedKeyRequest(want.spec), by);
          return 'created' as const;
        },
      );
      return { outcome, createAttempted };
    } catch (error) {
      if (!found && isConflict(error) && (await this.isHeldElsewhere(want))) {
        // Another instance reserved the same key a moment ago: it is being made, once.
        return { outcome: 'held-elsewhere', createAttempted };
      }
      return {
        outcome: 'failed',
        ...failureReasonsOf(error),
        ...(error instanceof KeyStoreBusyError && {
          retryAfterSeconds: error.retryAfterSeconds,
        }),
        createAttempted,
      };
    }
  }

  /**
   * Settles a stale reservation that no declared entry accounts for (a manual create or a
   * rotation whose creator died between the key store and the database), given what the key
   * store listed at the start of the run.
   */
  async settleStaleReservation(
    pending: KeyRecord,
    listed: ListedKeys,
  ): Promise<'adopted' | 'discarded'> {
    return this.provisionerAudited('key-settle', keyAuditMeta(pending), () =>
      this.settle(pending, listed.get(pending.name)),
    );
  }

  /**
   * The keys among these, listed by the key store, that carry this portal's tags and have no
   * record: they were made here and are still usable, but nothing here tracks them any more.
   */
  async unrecordedAmong(keys: StoredKeySummary[]): Promise<UnrecordedKey[]> {
    const ours = keys.flatMap(k =>
      k.tags?.managedBy === this.options.managedBy
        ? [{ ...k, tags: k.tags }]
        : [],
    );
    if (ours.length === 0) {
      return [];
    }
    const recorded = await this.options.records.recordedNames(
      this.options.keyStore.id,
      ours,
    );
    return ours
      .filter(k => !recorded.has(k.name))
      .map(k => ({ keyName: k.name, ...keySpecOf(k.tags) }));
  }

  /** Revokes a provisioned key that nothing declares any more, once its grace period is over. */
  async revokeUndesiredKey(record: KeyRecord): Promise<IngestionKey> {
    return this.provisionerAudited('key-revoke', keyAuditMeta(record), () =>
      this.revokeKey(record, { actor: PROVISIONER }),
    );
  }

  /** Rotates a delivered key past its age (`ingestionKeys.rotation.automatic`); drops the value. */
  async rotateAgedKey(record: KeyRecord): Promise<IngestionKey> {
    const { key } = await this.provisionerAudited(
      'key-rotate',
      { ...keyAuditMeta(record), reason: 'max-age' },
      () => this.rotateKey(record, { actor: PROVISIONER }),
    );
    return key;
  }

  /** Revokes a rotated key whose successor reached every target, once the grace period is over. */
  async finishRotation(old: KeyRecord): Promise<IngestionKey> {
    return this.provisionerAudited(
      'key-revoke',
      { ...keyAuditMeta(old), reason: 'rotation-delivered' },
      () => this.revokeKey(old, { actor: PROVISIONER }, { notify: false }),
    );
  }

  /**
   * This portal's newest listed key of a declared identity, by its tags and generated name. After
   * a database restore a rotated identity's live key is a successor (`-r2`, `-r3`): adopting it,
   * not the first name, keeps a second key from being made.
   */
  private newestListed(
    spec: IngestionKeySpec,
    listed: ListedKeys,
  ): StoredKeySummary | undefined {
    let newest: { key: StoredKeySummary; generation: number } | undefined;
    for (const key of listed.taggedFor(keyIdentityOf(spec))) {
      const generation = this.generationOf(spec, key.name);
      if (
        generation !== undefined &&
        isSameKeyIdentity(key.tags, this.tagsFor(spec)) &&
        generation > (newest?.generation ?? 0)
      ) {
        newest = { key, generation };
      }
    }
    return newest?.key;
  }

  /** The generation whose generated name this is, if it is one of this identity's names. */
  private generationOf(
    spec: IngestionKeySpec,
    name: string,
  ): number | undefined {
    const candidates = [
      1,
      ...[...name.matchAll(/-r(\d+)/g)].map(m => Number(m[1])),
    ];
    return candidates.find(g => this.nameFor(spec, g) === name);
  }

  /**
   * Records a key that already exists in the key store and carries this identity's tags, for
   * example one whose database record was lost, instead of creating a second one.
   */
  private async adoptKey(
    request: CreateKeyRequest,
    stored: StoredKeySummary,
    by: KeyActor,
  ): Promise<IngestionKey> {
    this.validate(request);
    const reservation = await this.options.records.reserve({
      ...keySpecOf(request),
      name: stored.name,
      remoteConfig: stored.remoteConfig,
      provider: this.options.keyStore.id,
      origin: 'adopted',
      createdBy: by.actor,
      ownerRef: by.ownerRef,
      generation: this.generationOf(request, stored.name) ?? 1,
    });
    return this.completeAdoption(reservation, stored, by);
  }

  /** Finishes a reservation whose key turned out to exist in the key store already. */
  private async completeAdoption(
    reservation: KeyRecord,
    stored: StoredKeySummary,
    by: KeyActor,
  ): Promise<IngestionKey> {
    const key = await this.options.records.activate(reservation, {
      providerKeyId: stored.providerKeyId,
      actor: by.actor,
      adopted: true,
    });
    this.options.logger.info(
      `Adopted ingestion key ${key.name} found in the key store`,
      {
        keyId: key.id,
        entityRef: key.entityRef,
      },
    );
    return toIngestionKey(key);
  }

  /**
   * Settles a reservation whose creator is gone: adopts the key when the store holds it with
   * this identity's tags, drops the reservation otherwise. A successor whose predecessor was
   * revoked meanwhile can never take over, so its key is deleted as well.
   */
  private async settle(
    pending: KeyRecord,
    found: StoredKeySummary | undefined,
  ): Promise<'adopted' | 'discarded'> {
    const by = { actor: PROVISIONER };
    if (found && isSameKeyIdentity(found.tags, this.tagsFor(pending))) {
      try {
        await this.completeAdoption(pending, found, by);
        return 'adopted';
      } catch (error) {
        if (!pending.replacesId || !isConflict(error)) {
          throw error;
        }
        await this.options.keyStore.delete(pending.name);
      }
    }
    await this.options.records.discard(pending.id);
    return 'discarded';
  }

  /** The API's actions on a key take the record the caller was authorized on, read once. */
  async revealKey(
    record: KeyRecord,
    by: KeyActor,
  ): Promise<IngestionKeySecret> {
    const secret = await this.storedSecretOf(record, 'revealed');
    await this.options.records.addEvent({
      key: record,
      action: 'revealed',
      actor: by.actor,
    });
    return { id: record.id, name: record.name, secret };
  }

  async rotateKey(
    old: KeyRecord,
    by: KeyActor,
  ): Promise<IngestionKeyWithSecret> {
    const refusal = rotationRefusal(old);
    if (refusal) {
      throw new ConflictError(refusal);
    }
    this.assertInCurrentStore(old, 'rotated');
    const successor = successorOf(old);
    const created = await this.createRecordedKey({
      ...successor,
      name: this.nameFor(successor, successor.generation),
      provider: this.options.keyStore.id,
      createdBy: by.actor,
    });
    this.notifyOwners(n => n.revokeRotatedKey(old, created.key, by.actor));
    return created;
  }

  async revokeKey(
    record: KeyRecord,
    by: KeyActor,
    { notify = true }: { notify?: boolean } = {},
  ): Promise<IngestionKey> {
    if (record.status === 'revoked') {
      return toIngestionKey(record);
    }
    this.assertLive(record, 'revoked');
    const stored = await this.options.keyStore.get(record.name);
    if (stored) {
      await this.assertRecordedKey(record, stored, 'revoked');
    }
    await this.options.keyStore.delete(record.name, {
      providerKeyId: stored?.providerKeyId,
    });
    const revoked = await this.options.records.markRevoked(record.id, by.actor);
    this.options.logger.debug(`Revoked ingestion key ${record.name}`, {
      keyId: record.id,
      actor: by.actor,
    });
    if (notify) {
      this.notifyOwners(n => n.keyRevoked(revoked, by.actor));
    }
    return toIngestionKey(revoked);
  }

  /**
   * Tells the entity's owners without holding up the answer: the change is made and recorded,
   * and the send (a catalog read, a call to the notifications backend) cannot fail it, since
   * the notifier logs its own failures.
   */
  private notifyOwners(send: (notifier: KeyNotifier) => Promise<void>) {
    const { notifier } = this.options;
    if (notifier) {
      send(notifier).catch(() => undefined);
    }
  }

  /** Records something done with a key that changes nothing about it, such as a delivery. */
  async recordEvent(
    key: KeyRecord,
    action: IngestionKeyAction,
    actor: string,
  ): Promise<void> {
    await this.options.records.addEvent({ key, action, actor });
  }

  async listEvents(filter: {
    keyId?: string;
    entityRef?: string;
  }): Promise<EventListResponse> {
    return { items: await this.options.records.listEvents(filter) };
  }

  /** The generated name of a key of this identity, first or successor. */
  private nameFor(spec: IngestionKeySpec, generation: number): string {
    return generateKeyName({
      ...keySpecOf(spec),
      pattern: this.options.settings.namingPattern,
      generation,
    });
  }

  private tagsFor(spec: IngestionKeySpec): StoredKeyTags {
    return keyTagsFor(spec, this.options.managedBy);
  }

  private async createRecordedKey(
    record: NewKeyRecord,
  ): Promise<IngestionKeyWithSecret> {
    const { records, keyStore, logger } = this.options;
    const reservation = await records.reserve(record);
    let stored: StoredKey;
    try {
      stored = await keyStore.create({
        name: record.name,
        type: record.type,
        remoteConfig: record.remoteConfig,
        tags: this.tagsFor(record),
      });
    } catch (error) {
      if (isUnknownOutcome(error)) {
        // The store may have made the key: provisioning settles the reservation, adopting the
        // key by its tags or dropping the reservation, so that no key is left unrecorded.
        throw new ServiceUnavailableError(
          `the outcome of creating key ${record.name} is not known yet (${error.message}); it is being settled, and the key shows up here if it was made`,
        );
      }
      await records.discard(reservation.id);
      throw error;
    }
    let key: KeyRecord;
    try {
      key = await records.activate(reservation, {
        providerKeyId: stored.providerKeyId,
        actor: record.createdBy,
      });
    } catch (error) {
      // The key exists in the store but will not be recorded (a rotation whose old key was
      // revoked meanwhile, or a database failure): take it back rather than leave an orphan.
      await this.takeBack(reservation);
      throw error;
    }
    // Debug only: every create is an auditor event, which the auditor logs with its actor.
    logger.debug(`Created ingestion key ${key.name}`, {
      keyId: key.id,
      entityRef: key.entityRef,
      actor: record.createdBy,
    });
    return { key: toIngestionKey(key), secret: stored.secret };
  }

  /**
   * Whether a live record now holds this identity: a conflict then came from a concurrent
   * reservation, not from the key store refusing a name that is taken there.
   */
  private async isHeldElsewhere(want: DeclaredKey): Promise<boolean> {
    const identity = keyIdentityOf(want.spec);
    const live = await this.options.records.findByEntities([
      want.spec.entityRef,
    ]);
    return live.some(r => holdsKeyIdentity(r) && keyIdentityOf(r) === identity);
  }

  /** Changes provisioning makes on its own are audited like those made on a request. */
  private provisionerAudited<T>(
    eventId: string,
    meta: AuditedEvent['meta'],
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

  private async takeBack(reservation: KeyRecord): Promise<void> {
    try {
      await this.options.keyStore.delete(reservation.name);
      await this.options.records.discard(reservation.id);
    } catch (error) {
      // Left pending, the reservation is settled by the next provisioning run.
      this.options.logger.warn(
        `Could not take back ingestion key ${reservation.name}: ${
          isError(error) ? error.message : error
        }`,
        { keyId: reservation.id },
      );
    }
  }

  /**
   * Bounds the keys one entity can pile up. Creates racing past the check can exceed the limit by
   * at most the number in flight; the limit is a bound on work, not an exact quota.
   */
  private async assertRoomForKey(entityRef: string) {
    const live = await this.options.records.findByEntities([
      normalizeEntityRef(entityRef),
    ]);
    const refusal = this.liveKeyLimitFor(entityRef, live.length);
    if (refusal) {
      throw refusal;
    }
  }

  /**
   * The refusal a new key meets when its entity already has `liveKeys` live keys, if any.
   * Provisioning counts an entity's keys for a whole batch before its creates run at once.
   */
  liveKeyLimitFor(
    entityRef: string,
    liveKeys: number,
  ): LiveKeyLimitError | undefined {
    const limit = this.options.maxLiveKeysPerEntity;
    return liveKeys >= limit
      ? new LiveKeyLimitError(normalizeEntityRef(entityRef), limit)
      : undefined;
  }

  private validate(request: CreateKeyRequest) {
    const { environments } = this.options.settings;
    if (!environments.includes(request.environment)) {
      throw new InputError(
        `environment "${
          request.environment
        }" is not configured; use one of ${environments.join(', ')}`,
      );
    }
    if (request.remoteConfig && request.type !== 'sensor') {
      throw new InputError(
        'remoteConfig is only available for sensor keys; RUM and Third Party keys are write-only',
      );
    }
  }

  /**
   * A key lives in the store it was created in. After `ingestionKeys.provider` changed, acting on
   * an older key through the new store would reveal nothing or "revoke" a key that still works.
   */
  private assertInCurrentStore(record: KeyRecord, action: string) {
    const current = this.options.keyStore.id;
    if (record.provider !== current) {
      throw new ConflictError(
        `Key ${record.name} lives in the ${record.provider} key store, but this portal now uses ${current}; it cannot be ${action} here`,
      );
    }
  }

  /**
   * Reveal and revoke act on the store's key by name: it has to be the key recorded, by the
   * store's own id where both have one, and by this identity's tags.
   */
  private async assertRecordedKey(
    record: KeyRecord,
    stored: StoredKeySummary,
    action: string,
  ) {
    const otherId =
      record.providerKeyId !== undefined &&
      stored.providerKeyId !== undefined &&
      record.providerKeyId !== stored.providerKeyId;
    if (
      otherId ||
      stored.type !== record.type ||
      !isSameKeyIdentity(stored.tags, this.tagsFor(record))
    ) {
      await this.options.records.markReplacedOutside(record.id);
      throw new KeyReplacedError(record.name, record.provider, action);
    }
  }

  private assertLive(record: KeyRecord, action: string) {
    this.assertInCurrentStore(record, action);
    if (record.status === 'pending') {
      throw new ConflictError(
        `Key ${record.name} is still being created and cannot be ${action} yet`,
      );
    }
    if (record.status === 'revoked') {
      throw new ConflictError(
        `Key ${record.name} was revoked and cannot be ${action}`,
      );
    }
  }
}
