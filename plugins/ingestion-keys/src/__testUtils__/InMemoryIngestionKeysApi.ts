import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CreateKeyRequest,
  DEFAULT_NAMING_PATTERN,
  EntityProvisioningStatus,
  EventListResponse,
  formatProvisionEntry,
  generateKeyName,
  IngestionKey,
  IngestionKeyAction,
  IngestionKeyOrigin,
  IngestionKeySecret,
  IngestionKeysSettings,
  IngestionKeySpec,
  IngestionKeyWithSecret,
  KeyListResponse,
  KeyListQuery,
  parseProvisionAnnotation,
  ProvisionedKeyState,
  ProvisioningProblem,
  ProvisioningRunReport,
  ProvisioningStatusResponse,
  UndesiredKey,
  UndesiredReason,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { IngestionKeysApi, ProvisioningRunTriggered } from '../api';

/** The service the backend's reconciler acts as. */
export const PROVISIONER = 'plugin:ingestion-keys/provisioner';

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
 * page and component tests.
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
  private lastRun?: ProvisioningRunReport;
  private sequence = 0;
  private clock: number;

  constructor(
    private readonly options: {
      actor?: string;
      settings?: IngestionKeysSettings;
      now?: Date;
    } = {},
  ) {
    this.clock = (options.now ?? new Date()).getTime();
  }

  async getSettings(): Promise<IngestionKeysSettings> {
    return this.settings;
  }

  async listKeys(query: KeyListQuery): Promise<KeyListResponse> {
    const matching = this.keys.filter(
      key =>
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

  async createKey(request: CreateKeyRequest): Promise<IngestionKeyWithSecret> {
    const existing = this.keys.find(
      key =>
        key.status !== 'revoked' &&
        key.entityRef === request.entityRef &&
        key.environment === request.environment &&
        key.type === request.type &&
        (key.integration ?? '') === (request.integration ?? ''),
    );
    if (existing) {
      throw new ConflictError(`The key ${existing.name} already exists`);
    }
    const key = this.addKey(request, 1);
    return { key: { ...key }, secret: secretOf(key) };
  }

  async revealKey(id: string): Promise<IngestionKeySecret> {
    const key = this.find(id);
    this.record(key, 'revealed');
    return { id, name: key.name, secret: secretOf(key) };
  }

  async rotateKey(id: string): Promise<IngestionKeyWithSecret> {
    const old = this.find(id);
    const successor = this.addKey(
      {
        entityRef: old.entityRef,
        environment: old.environment,
        type: old.type,
        integration: old.integration,
        remoteConfig: old.remoteConfig,
      },
      (this.generations.get(id) ?? 1) + 1,
      old.id,
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
    const ref = normalize(entityRef);
    const annotation = this.annotations.get(ref);
    const { entries, errors } = parseProvisionAnnotation(
      annotation ?? '',
      this.settings.environments,
    );
    const failures = new Map(
      (this.lastRun?.failed ?? [])
        .filter(failure => failure.entityRef === ref)
        .map(failure => [failure.entry, failure.reason]),
    );
    return {
      entityRef: ref,
      ...(annotation !== undefined ? { annotation } : {}),
      entries: entries.map(entry => {
        const text = formatProvisionEntry(entry);
        const key = this.liveKey({ entityRef: ref, ...entry });
        const provisioned = key?.status === 'active';
        const reason = provisioned ? undefined : failures.get(text);
        let state: ProvisionedKeyState = 'pending';
        if (provisioned) {
          state = 'provisioned';
        } else if (reason) {
          state = 'failed';
        }
        return {
          entry: text,
          ...entry,
          state,
          ...(key ? { keyId: key.id, keyName: key.name } : {}),
          ...(reason ? { reason } : {}),
        };
      }),
      invalidEntries: errors.map(error => ({ entityRef: ref, ...error })),
      undesired: this.undesiredKeys().filter(key => key.entityRef === ref),
    };
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

  /** Sets (or, with `undefined`, removes) an entity's `ingestion-keys/provision` annotation. */
  declare(entityRef: string, annotation: string | undefined) {
    if (annotation === undefined) {
      this.annotations.delete(normalize(entityRef));
    } else {
      this.annotations.set(normalize(entityRef), annotation);
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
    const startedAt = this.tick();
    const failed: ProvisioningProblem[] = [];
    const invalidEntries: ProvisioningProblem[] = [];
    const desired = new Set<string>();
    let keysDesired = 0;
    let keysCreated = 0;

    for (const [entityRef, annotation] of this.annotations) {
      const { entries, errors } = parseProvisionAnnotation(
        annotation,
        this.settings.environments,
      );
      invalidEntries.push(...errors.map(error => ({ entityRef, ...error })));
      for (const entry of entries) {
        keysDesired += 1;
        const existing = this.liveKey({ entityRef, ...entry });
        if (existing) {
          desired.add(existing.id);
          continue;
        }
        const text = formatProvisionEntry(entry);
        const failure = options.failures?.find(
          f => normalize(f.entityRef) === entityRef && f.entry === text,
        );
        if (failure) {
          failed.push({ entityRef, entry: text, reason: failure.reason });
          continue;
        }
        const key = this.addKey(
          { entityRef, ...entry },
          1,
          undefined,
          'provisioned',
        );
        desired.add(key.id);
        keysCreated += 1;
      }
    }

    const now = this.tick();
    for (const key of this.keys) {
      // Manual keys are nobody's declaration; rotated ones are on their way out already.
      if (
        key.origin === 'manual' ||
        key.status === 'revoked' ||
        key.replacedById
      ) {
        continue;
      }
      if (desired.has(key.id)) {
        delete key.undesiredSince;
        delete key.undesiredReason;
      } else if (!key.undesiredSince) {
        key.undesiredSince = now;
        key.undesiredReason = this.annotations.has(key.entityRef)
          ? 'entry-removed'
          : 'entity-removed';
      }
    }

    this.lastRun = {
      startedAt,
      finishedAt: this.tick(),
      entitiesSeen: this.annotations.size,
      keysDesired,
      keysCreated,
      keysAdopted: 0,
      keysRevoked: 0,
      failed,
      invalidEntries,
      undesiredCount: this.undesiredKeys().length,
      storeCalls: { list: 1, create: keysCreated + failed.length },
    };
    return { ...this.lastRun };
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

  private undesiredKeys(): UndesiredKey[] {
    return this.keys
      .filter(key => key.status !== 'revoked' && key.undesiredSince)
      .map(key => ({
        keyId: key.id,
        keyName: key.name,
        entityRef: key.entityRef,
        environment: key.environment,
        type: key.type,
        ...(key.integration ? { integration: key.integration } : {}),
        reason: key.undesiredReason ?? 'entry-removed',
        since: key.undesiredSince!,
      }));
  }

  /** The key that stands for a spec: the newest one that is not revoked. */
  private liveKey(spec: IngestionKeySpec): IngestionKey | undefined {
    return this.keys
      .filter(
        key =>
          key.status !== 'revoked' &&
          key.entityRef === spec.entityRef &&
          key.environment === spec.environment &&
          key.type === spec.type &&
          (key.integration ?? '') === (spec.integration ?? ''),
      )
      .pop();
  }

  private get settings() {
    return this.options.settings ?? testSettings;
  }

  private get actor() {
    return this.options.actor ?? 'user:default/alice';
  }

  private addKey(
    request: CreateKeyRequest,
    generation: number,
    replacesId?: string,
    origin: IngestionKeyOrigin = 'manual',
  ): IngestionKey {
    const actor = origin === 'manual' ? this.actor : PROVISIONER;
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

function normalize(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

function secretOf(key: IngestionKey): string {
  return `gcik_fake_${key.id}`;
}
