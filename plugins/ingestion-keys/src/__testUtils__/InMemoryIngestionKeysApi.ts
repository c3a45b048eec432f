import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CreateKeyRequest,
  DEFAULT_NAMING_PATTERN,
  EventListResponse,
  generateKeyName,
  IngestionKey,
  IngestionKeyAction,
  IngestionKeySecret,
  IngestionKeysSettings,
  IngestionKeyWithSecret,
  KeyListResponse,
  KeyListQuery,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { IngestionKeysApi } from '../api';

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
 * rotation, revocation kept as history, audit events), for the dev page and component tests.
 */
export class InMemoryIngestionKeysApi implements IngestionKeysApi {
  private readonly keys: IngestionKey[] = [];
  private readonly generations = new Map<string, number>();
  private readonly events: EventListResponse['items'] = [];
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
    return { key, secret: secretOf(key) };
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
      origin: 'manual',
      provider: this.settings.provider,
      createdBy: this.actor,
      createdAt: this.tick(),
      ...(replacesId ? { replacesId } : {}),
    };
    this.keys.push(key);
    this.generations.set(key.id, generation);
    this.record(key, 'created');
    return { ...key };
  }

  private find(id: string): IngestionKey {
    const key = this.keys.find(k => k.id === id && k.status !== 'revoked');
    if (!key) {
      throw new NotFoundError(`No key ${id}`);
    }
    return key;
  }

  private record(key: IngestionKey, action: IngestionKeyAction) {
    this.events.unshift({
      id: `event-${this.events.length + 1}`,
      keyId: key.id,
      keyName: key.name,
      entityRef: key.entityRef,
      action,
      actor: this.actor,
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
