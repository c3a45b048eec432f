import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  AddDeliveryTargetRequest,
  CreateKeyRequest,
  DEFAULT_NAMING_PATTERN,
  DeliveryTargetKind,
  DeliveryTargetKindsResponse,
  DeliveryTargetListResponse,
  DeliveryTargetOrigin,
  EXTERNAL_SECRETS_TARGET_KIND,
  emptyRunReport,
  EntityProvisioningStatus,
  entityProvisioningStatus,
  EventListResponse,
  formatProvisionEntry,
  generateKeyName,
  holdsKeyIdentity,
  IngestionKey,
  IngestionKeyAction,
  IngestionKeyOrigin,
  IngestionKeySecret,
  IngestionKeysSettings,
  IngestionKeySpec,
  IngestionKeyWithSecret,
  KeyDeliveryTarget,
  keyIdentityOf,
  KeyListResponse,
  KeyListQuery,
  normalizeEntityRef,
  OwnedProvisioningProblems,
  parseProvisionAnnotation,
  parseTargetRef,
  PROVISIONER,
  provisioningProblemsOf,
  provisionedKeyRequest,
  ProvisioningProblem,
  ProvisioningRunReport,
  ProvisioningStatusResponse,
  rotationRefusal,
  successorOf,
  toUndesiredKey,
  UndesiredKey,
  UndesiredReason,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { IngestionKeysApi, ProvisioningRunTriggered } from '../api';

/** What a new key is recorded with besides what it is for. */
interface NewKey extends CreateKeyRequest {
  origin: IngestionKeyOrigin;
  generation?: number;
  replacesId?: string;
}

/** A push kind (written by the backend) and the pull kind (fetched by External Secrets). */
export const testDeliveryKinds: DeliveryTargetKind[] = [
  {
    kind: 'kubernetes',
    addressFormat: '<cluster>/<namespace>[/<secret>[/<data key>]]',
    pull: false,
  },
  { kind: EXTERNAL_SECRETS_TARGET_KIND, addressFormat: '<store>', pull: true },
];

export const testSettings: IngestionKeysSettings = {
  environments: ['production', 'staging'],
  types: ['sensor', 'rum', 'thirdParty'],
  provider: 'embedded',
  namingPattern: DEFAULT_NAMING_PATTERN,
  snippets: {
    otlpEndpoint: 'https://otlp.example.groundcover.com',
    rumDsn: 'https://rum.example.groundcover.com',
    firehoseEndpoint: 'https://firehose.example.groundcover.com',
  },
};

/**
 * A stateful stand-in for the backend with its semantics (generated names, 409 on duplicates,
 * rotation, revocation kept as history, audit events, catalog-driven provisioning), for the dev
 * page and component tests. The rules themselves (identity, names, rotation, an entry's
 * provisioning state, who provisions) come from `-common`, as the backend's do.
 *
 * Provisioning: `declare` plays the catalog (an entity's `ingestion-keys/provision` annotation),
 * `runProvisioning` the reconciler (creates the missing keys, reports the keys no longer declared
 * as undesired, never revokes), and `setLastRun` / `markUndesired` set the state directly.
 */
export class InMemoryIngestionKeysApi implements IngestionKeysApi {
  private readonly keys: IngestionKey[] = [];
  private readonly generations = new Map<string, number>();
  private readonly events: EventListResponse['items'] = [];
  private readonly annotations = new Map<string, string>();
  private readonly targets: KeyDeliveryTarget[] = [];
  /** Push targets whose deliveries fail, with the error they fail with. */
  private readonly failingTargets = new Map<string, string>();
  private lastRun?: ProvisioningRunReport;
  private sequence = 0;
  private clock: number;

  constructor(
    private readonly options: {
      actor?: string;
      settings?: IngestionKeysSettings;
      now?: Date;
      /** The entities the signed-in user's teams own, as the backend finds them in the catalog. */
      teamEntities?: string[];
      /** The kinds of delivery target the portal offers; `testDeliveryKinds` unless given. */
      deliveryKinds?: DeliveryTargetKind[];
    } = {},
  ) {
    this.clock = (options.now ?? new Date()).getTime();
  }

  async getSettings(): Promise<IngestionKeysSettings> {
    return this.settings;
  }

  async listKeys(query: KeyListQuery): Promise<KeyListResponse> {
    return this.listWhere(query, () => true);
  }

  async listMyTeamsKeys(query: KeyListQuery): Promise<KeyListResponse> {
    const teams = new Set(this.teamEntities);
    return this.listWhere(query, key => teams.has(key.entityRef));
  }

  private listWhere(
    query: KeyListQuery,
    belongs: (key: IngestionKey) => boolean,
  ): KeyListResponse {
    const matching = this.keys.filter(
      key =>
        belongs(key) &&
        (!query.entityRef || key.entityRef === query.entityRef) &&
        (!query.environment || key.environment === query.environment) &&
        (!query.type || key.type === query.type) &&
        (!query.createdBy || key.createdBy === query.createdBy) &&
        (query.status
          ? key.status === query.status
          : query.includeRevoked || key.status !== 'revoked'),
    );
    const field = query.orderBy ?? 'createdAt';
    const direction = query.order === 'desc' ? -1 : 1;
    matching.sort(
      (a, b) => direction * String(a[field]).localeCompare(String(b[field])),
    );
    const offset = query.offset ?? 0;
    return {
      items: matching.slice(offset, offset + (query.limit ?? 100)),
      totalCount: matching.length,
    };
  }

  async getMyTeamsProvisioningProblems(): Promise<OwnedProvisioningProblems> {
    return provisioningProblemsOf(
      await Promise.all(
        this.teamEntities.map(ref => this.getEntityProvisioningStatus(ref)),
      ),
    );
  }

  private get teamEntities(): string[] {
    return (this.options.teamEntities ?? []).map(ref =>
      normalizeEntityRef(ref),
    );
  }

  async createKey(request: CreateKeyRequest): Promise<IngestionKeyWithSecret> {
    const existing = this.liveKey(request);
    if (existing) {
      throw new ConflictError(`The key ${existing.name} already exists`);
    }
    const key = this.addKey({ ...request, origin: 'manual' }, this.actor);
    return { key: { ...key }, secret: secretOf(key) };
  }

  async revealKey(id: string): Promise<IngestionKeySecret> {
    const key = this.find(id);
    this.record(key, 'revealed');
    return { id, name: key.name, secret: secretOf(key) };
  }

  async rotateKey(id: string): Promise<IngestionKeyWithSecret> {
    const old = this.find(id);
    const refusal = rotationRefusal(old);
    if (refusal) {
      throw new ConflictError(refusal);
    }
    const successor = this.addKey(
      successorOf({ ...old, generation: this.generations.get(id) ?? 1 }),
      this.actor,
    );
    Object.assign(old, { status: 'rotating', replacedById: successor.id });
    this.record(old, 'rotated');
    return { key: { ...successor }, secret: secretOf(successor) };
  }

  async revokeKey(id: string): Promise<IngestionKey> {
    const key = this.find(id);
    Object.assign(key, {
      status: 'revoked',
      revokedBy: this.actor,
      revokedAt: this.tick(),
    });
    this.record(key, 'revoked');
    return { ...key };
  }

  async listKeyEvents(id: string): Promise<EventListResponse> {
    return { items: this.events.filter(event => event.keyId === id) };
  }

  async listEntityEvents(entityRef: string): Promise<EventListResponse> {
    return {
      items: this.events.filter(event => event.entityRef === entityRef),
    };
  }

  async getEntityProvisioningStatus(
    entityRef: string,
  ): Promise<EntityProvisioningStatus> {
    const ref = normalizeEntityRef(entityRef);
    return entityProvisioningStatus({
      entityRef: ref,
      annotation: this.annotations.get(ref),
      environments: this.settings.environments,
      keyFor: spec => this.liveKey(spec),
      lastRun: this.lastRun,
      undesired: this.undesiredKeys().filter(key => key.entityRef === ref),
    });
  }

  async getProvisioningStatus(): Promise<ProvisioningStatusResponse> {
    return {
      ...(this.lastRun ? { lastRun: { ...this.lastRun } } : {}),
      undesired: this.undesiredKeys(),
    };
  }

  /** Runs at once; the backend runs it on its scheduler shortly after answering. */
  async triggerProvisioningRun(): Promise<ProvisioningRunTriggered> {
    await this.runProvisioning();
    return { status: 'triggered' };
  }

  async listDeliveryTargetKinds(): Promise<DeliveryTargetKindsResponse> {
    return { items: this.options.deliveryKinds ?? testDeliveryKinds };
  }

  async listDeliveryTargets(
    entityRef: string,
  ): Promise<DeliveryTargetListResponse> {
    const ref = normalizeEntityRef(entityRef);
    return {
      items: this.targets
        .filter(target => target.entityRef === ref)
        .map(target => ({ ...target })),
    };
  }

  async addDeliveryTarget(
    keyId: string,
    request: AddDeliveryTargetRequest,
  ): Promise<KeyDeliveryTarget> {
    return { ...this.addTarget(this.find(keyId), request.target, 'manual') };
  }

  async deliverToTarget(targetId: string): Promise<KeyDeliveryTarget> {
    const target = this.findTarget(targetId);
    this.deliver(target);
    return { ...target };
  }

  async removeDeliveryTarget(targetId: string): Promise<void> {
    const target = this.findTarget(targetId);
    if (target.origin === 'annotation') {
      throw new ConflictError(
        `${target.target} is declared in the entity's annotation: remove it from the annotation`,
      );
    }
    this.targets.splice(this.targets.indexOf(target), 1);
  }

  async listFailedDeliveries(): Promise<DeliveryTargetListResponse> {
    return {
      items: this.targets
        .filter(target => target.lastDelivery?.outcome === 'failed')
        .map(target => ({ ...target })),
    };
  }

  /** A target the entity's annotation declares for a key's identity, as provisioning adds it. */
  declareTarget(keyId: string, target: string): KeyDeliveryTarget {
    return { ...this.addTarget(this.find(keyId), target, 'annotation') };
  }

  /** Makes deliveries to a push target fail with `error`, or, with `undefined`, succeed again. */
  failDeliveriesTo(target: string, error: string | undefined) {
    if (error === undefined) {
      this.failingTargets.delete(target);
    } else {
      this.failingTargets.set(target, error);
    }
  }

  /** What External Secrets fetching a pull target's key records. */
  recordFetch(targetId: string) {
    const target = this.findTarget(targetId);
    this.deliver(target, 'fetched');
  }

  /** Sets the time from which a key is due for rotation, as the rotation rules would. */
  setRotationDue(id: string, at: string) {
    this.find(id).rotationDueAt = at;
  }

  private addTarget(
    key: IngestionKey,
    text: string,
    origin: DeliveryTargetOrigin,
  ): KeyDeliveryTarget {
    const ref = parseTargetRef(text);
    if (!ref) {
      throw new InputError(
        `"${text}" is not a target: write it <kind>:<address>`,
      );
    }
    const kind = (this.options.deliveryKinds ?? testDeliveryKinds).find(
      k => k.kind === ref.kind,
    );
    if (!kind) {
      throw new InputError(`This portal cannot deliver to ${ref.kind}`);
    }
    const target = `${ref.kind}:${ref.address}`;
    const identity = keyIdentityOf(key);
    if (
      this.targets.some(
        t => keyIdentityOf(t) === identity && t.target === target,
      )
    ) {
      throw new ConflictError(`${key.name} is already delivered to ${target}`);
    }
    this.sequence += 1;
    const added: KeyDeliveryTarget = {
      id: `target-${this.sequence}`,
      entityRef: key.entityRef,
      environment: key.environment,
      type: key.type,
      ...(key.integration ? { integration: key.integration } : {}),
      target,
      kind: kind.kind,
      pull: kind.pull,
      origin,
      addedBy: origin === 'manual' ? this.actor : PROVISIONER,
      addedAt: this.tick(),
    };
    this.targets.push(added);
    if (!kind.pull) {
      this.deliver(added);
    }
    return added;
  }

  /** Delivers (or, for a pull target, hands out) the identity's current key. */
  private deliver(
    target: KeyDeliveryTarget,
    outcome: 'delivered' | 'fetched' = 'delivered',
  ) {
    const key = this.liveKey(target);
    if (!key) {
      throw new ConflictError(`${target.target} has no live key to deliver`);
    }
    const at = this.tick();
    const error = this.failingTargets.get(target.target);
    const delivery = {
      keyId: key.id,
      keyName: key.name,
      generation: this.generations.get(key.id) ?? 1,
      at,
    };
    if (error !== undefined && outcome === 'delivered') {
      target.lastDelivery = { ...delivery, outcome: 'failed', error };
      return;
    }
    target.lastDelivery = {
      ...delivery,
      outcome,
      ...(outcome === 'delivered'
        ? { location: `Written to ${target.target}` }
        : {}),
    };
    Object.assign(target, {
      currentKeyId: key.id,
      currentGeneration: delivery.generation,
      currentSince: at,
    });
  }

  private findTarget(id: string): KeyDeliveryTarget {
    const target = this.targets.find(t => t.id === id);
    if (!target) {
      throw new NotFoundError(`No delivery target ${id}`);
    }
    return target;
  }

  /** Sets (or, with `undefined`, removes) an entity's `ingestion-keys/provision` annotation. */
  declare(entityRef: string, annotation: string | undefined) {
    if (annotation === undefined) {
      this.annotations.delete(normalizeEntityRef(entityRef));
    } else {
      this.annotations.set(normalizeEntityRef(entityRef), annotation);
    }
  }

  /**
   * What the reconciler does: creates the declared keys that are missing (except for the entries
   * given as `failures`, which fail with their reason), marks provisioned keys that nothing
   * declares any more as undesired, clears the mark of keys declared again, and reports the run.
   */
  async runProvisioning(
    options: { failures?: ProvisioningProblem[] } = {},
  ): Promise<ProvisioningRunReport> {
    const report = emptyRunReport(this.tick());
    report.storeCalls.list++;
    const desiredIdentities = new Set<string>();

    for (const [entityRef, annotation] of this.annotations) {
      report.entitiesSeen++;
      const { entries, errors } = parseProvisionAnnotation(
        annotation,
        this.settings.environments,
      );
      report.invalidEntries.push(
        ...errors.map(error => ({ entityRef, ...error })),
      );
      for (const entry of entries) {
        report.keysDesired++;
        const spec = { entityRef, ...entry };
        desiredIdentities.add(keyIdentityOf(spec));
        if (this.liveKey(spec)) {
          continue;
        }
        const text = formatProvisionEntry(entry);
        const failure = options.failures?.find(
          f =>
            normalizeEntityRef(f.entityRef) === entityRef && f.entry === text,
        );
        report.storeCalls.create++;
        if (failure) {
          report.failed.push({
            entityRef,
            entry: text,
            reason: failure.reason,
          });
          continue;
        }
        this.addKey(
          { ...provisionedKeyRequest(spec), origin: 'provisioned' },
          PROVISIONER,
        );
        report.keysCreated++;
      }
    }

    const now = this.tick();
    for (const key of this.keys) {
      // Manual keys are nobody's declaration; rotated ones are on their way out already.
      if (key.origin === 'manual' || key.status !== 'active') {
        continue;
      }
      if (desiredIdentities.has(keyIdentityOf(key))) {
        delete key.undesiredSince;
        delete key.undesiredReason;
      } else if (!key.undesiredSince) {
        key.undesiredSince = now;
        key.undesiredReason = this.annotations.has(key.entityRef)
          ? 'entry-removed'
          : 'entity-removed';
      }
    }

    report.undesiredCount = this.undesiredKeys().length;
    report.finishedAt = this.tick();
    this.lastRun = report;
    return { ...report };
  }

  /** Sets (or, with `undefined`, forgets) the report of the last run. */
  setLastRun(report: ProvisioningRunReport | undefined) {
    this.lastRun = report;
  }

  /** Marks a key as no longer declared, as a run would. */
  markUndesired(id: string, reason: UndesiredReason, since?: string) {
    Object.assign(this.find(id), {
      undesiredReason: reason,
      undesiredSince: since ?? this.tick(),
    });
  }

  /** Like the backend: active keys marked undesired, the longest undesired first. */
  private undesiredKeys(): UndesiredKey[] {
    return this.keys
      .filter(key => key.status === 'active' && key.undesiredSince)
      .map(toUndesiredKey)
      .sort((a, b) => a.since.localeCompare(b.since));
  }

  /** The live key (being made or active) that holds a spec's identity. */
  private liveKey(spec: IngestionKeySpec): IngestionKey | undefined {
    const identity = keyIdentityOf(spec);
    return this.keys.find(
      key =>
        (key.status === 'pending' || key.status === 'active') &&
        holdsKeyIdentity(key) &&
        keyIdentityOf(key) === identity,
    );
  }

  private get settings() {
    return this.options.settings ?? testSettings;
  }

  private get actor() {
    return this.options.actor ?? 'user:default/alice';
  }

  private addKey(
    { generation = 1, replacesId, origin, ...request }: NewKey,
    actor: string,
  ): IngestionKey {
    this.sequence += 1;
    const key: IngestionKey = {
      id: `key-${this.sequence}`,
      name: generateKeyName({
        ...request,
        pattern: this.settings.namingPattern,
        generation,
      }),
      entityRef: request.entityRef,
      environment: request.environment,
      type: request.type,
      ...(request.integration ? { integration: request.integration } : {}),
      remoteConfig: request.type === 'sensor' && Boolean(request.remoteConfig),
      status: 'active',
      origin,
      provider: this.settings.provider,
      createdBy: actor,
      createdAt: this.tick(),
      ...(replacesId ? { replacesId } : {}),
    };
    this.keys.push(key);
    this.generations.set(key.id, generation);
    this.record(key, 'created', actor);
    return key;
  }

  private find(id: string): IngestionKey {
    const key = this.keys.find(k => k.id === id && k.status !== 'revoked');
    if (!key) {
      throw new NotFoundError(`No key ${id}`);
    }
    return key;
  }

  private record(
    key: IngestionKey,
    action: IngestionKeyAction,
    actor = this.actor,
  ) {
    this.events.unshift({
      id: `event-${this.events.length + 1}`,
      keyId: key.id,
      keyName: key.name,
      entityRef: key.entityRef,
      action,
      actor,
      at: this.tick(),
    });
  }

  /**
   * With a fixed `now`, every change happens a minute after the previous one so tests see stable
   * times; otherwise changes happen at the wall-clock time.
   */
  private tick(): string {
    this.clock = this.options.now
      ? this.clock + 60_000
      : Math.max(Date.now(), this.clock + 1);
    return new Date(this.clock).toISOString();
  }
}

function secretOf(key: IngestionKey): string {
  return `gcik_fake_${key.id}`;
}
