import { setTimeout as sleep } from 'node:timers/promises';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { isSameKeyIdentity } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  CreateStoredKeyRequest,
  IngestionKeyStore,
  KeyStoreBusyError,
  StoredKey,
  StoredKeySummary,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import {
  GroundcoverClient,
  GroundcoverKey,
  GroundcoverServerError,
} from './client';
import { decodeKeyTags, encodeKeyTags } from './keyTags';
import { RecentDeletions } from './RecentDeletions';
import { SingleFlightCache } from './SingleFlightCache';

/** @public */
export const DEFAULT_GROUNDCOVER_BASE_URL = 'https://api.groundcover.com';

const MAX_LOOKUP_INTERVAL_MS = 2000;

/** @public */
export interface GroundcoverKeyStoreOptions {
  client: GroundcoverClient;
  logger: LoggerService;
  /**
   * How long to keep looking for a key that groundcover's lagging list does not show yet:
   * after a create with an uncertain outcome, after a 409, and for `get` with
   * `waitForVisibility`. Default 15000.
   */
  lookupTimeoutMs?: number;
  /** Delay before the second look; it doubles up to 2 s. Default 250. */
  lookupIntervalMs?: number;
  /** How long `list()` serves the previous answer. Default 5000. */
  listCacheTtlMs?: number;
}

function toStoredKey(key: GroundcoverKey): StoredKey {
  return {
    providerKeyId: key.id,
    name: key.name,
    type: key.type,
    remoteConfig: key.remoteConfig,
    tags: decodeKeyTags(key.tags),
    secret: key.key,
  };
}

function toSummary(key: GroundcoverKey): StoredKeySummary {
  const { secret: _secret, ...summary } = toStoredKey(key);
  return summary;
}

/**
 * A failure after which groundcover may or may not have committed the request; one that turned
 * the request away (a 429, a refused connection) is certain, and looking the key up would only
 * add calls to a groundcover that asked for fewer.
 */
function isUncertain(error: unknown): boolean {
  return (
    !(error instanceof KeyStoreBusyError) &&
    (error instanceof ServiceUnavailableError ||
      error instanceof GroundcoverServerError)
  );
}

/**
 * Keeps ingestion keys in groundcover, through its ingestion-key management API.
 *
 * @public
 */
export class GroundcoverKeyStore implements IngestionKeyStore {
  readonly id = 'groundcover';

  private readonly client: GroundcoverClient;
  private readonly logger: LoggerService;
  private readonly lookupTimeoutMs: number;
  private readonly lookupIntervalMs: number;
  private readonly listCache: SingleFlightCache<StoredKeySummary[]>;
  private readonly deletions: RecentDeletions;

  /** Reads `ingestionKeys.groundcover`, which must be present. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): GroundcoverKeyStore {
    const settings = config.getConfig('ingestionKeys.groundcover');
    return GroundcoverKeyStore.create({
      client: GroundcoverClient.create({
        baseUrl:
          settings.getOptionalString('baseUrl') ?? DEFAULT_GROUNDCOVER_BASE_URL,
        apiKey: settings.getString('apiKey'),
        backendId: settings.getString('backendId'),
        timeoutMs: settings.getOptionalNumber('timeoutMs'),
      }),
      logger: options.logger,
      lookupTimeoutMs: settings.getOptionalNumber('lookupTimeoutMs'),
      listCacheTtlMs: settings.getOptionalNumber('listCacheTtlMs'),
    });
  }

  static create(options: GroundcoverKeyStoreOptions): GroundcoverKeyStore {
    return new GroundcoverKeyStore(options);
  }

  private constructor(options: GroundcoverKeyStoreOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 15000;
    this.lookupIntervalMs = options.lookupIntervalMs ?? 250;
    // Secrets are dropped before caching: the cache only ever holds summaries.
    this.listCache = SingleFlightCache.create({
      ttlMs: options.listCacheTtlMs ?? 5000,
      load: async () => (await this.client.list()).map(toSummary),
    });
    this.deletions = RecentDeletions.create({ ttlMs: this.lookupTimeoutMs });
  }

  async create(request: CreateStoredKeyRequest): Promise<StoredKey> {
    this.deletions.forgetName(request.name);
    try {
      const created = await this.client.create({
        name: request.name,
        type: request.type,
        remoteConfig: request.remoteConfig,
        tags: encodeKeyTags(request.tags),
      });
      // Debug only: the plugin audits every create, which the auditor logs already.
      this.logger.debug(`Created groundcover ingestion key ${request.name}`);
      return toStoredKey(created);
    } catch (error) {
      if (error instanceof ConflictError) {
        return await this.adoptExisting(request);
      }
      if (isUncertain(error)) {
        return await this.resolveUncertainCreate(request, error as Error);
      }
      throw error;
    } finally {
      this.listCache.invalidate();
    }
  }

  async get(
    name: string,
    options?: { waitForVisibility?: boolean },
  ): Promise<StoredKey | undefined> {
    if (options?.waitForVisibility) {
      return this.lookUntilVisible(name);
    }
    return this.lookup(name);
  }

  async list(): Promise<StoredKeySummary[]> {
    const summaries = await this.listCache.get();
    return summaries
      .filter(summary => !this.deletions.hides(summary))
      .map(summary => ({
        ...summary,
        tags: summary.tags && { ...summary.tags },
      }));
  }

  async delete(
    name: string,
    options?: { providerKeyId?: string },
  ): Promise<void> {
    // The ids let reads hide the deleted key while the list lags, without hiding a new key
    // that reuses the name.
    const ids = options?.providerKeyId
      ? [options.providerKeyId]
      : (await this.client.list({ name }))
          .filter(key => key.name === name)
          .map(key => key.id);
    try {
      await this.client.delete(name);
    } finally {
      this.listCache.invalidate();
    }
    this.deletions.record(name, ids);
    this.logger.debug(`Deleted groundcover ingestion key ${name}`);
  }

  private async lookup(name: string): Promise<StoredKey | undefined> {
    const keys = await this.client.list({ name });
    const found = keys.find(
      key =>
        key.name === name &&
        !this.deletions.hides({ name, providerKeyId: key.id }),
    );
    return found && toStoredKey(found);
  }

  // groundcover's list lags its writes by seconds, so one miss right after a write proves nothing.
  private async lookUntilVisible(name: string): Promise<StoredKey | undefined> {
    const deadline = Date.now() + this.lookupTimeoutMs;
    let interval = this.lookupIntervalMs;
    for (;;) {
      const found = await this.lookup(name);
      const remaining = deadline - Date.now();
      if (found || remaining <= 0) {
        return found;
      }
      await sleep(Math.min(interval, remaining));
      interval = Math.min(interval * 2, MAX_LOOKUP_INTERVAL_MS);
    }
  }

  private async adoptExisting(
    request: CreateStoredKeyRequest,
  ): Promise<StoredKey> {
    const existing = await this.lookUntilVisible(request.name);
    if (!existing) {
      throw new ServiceUnavailableError(
        `an ingestion key named ${request.name} already exists in groundcover but is not listed yet; try again shortly`,
      );
    }
    this.assertOurs(existing, request);
    this.logger.info(
      `Adopted existing groundcover ingestion key ${request.name}`,
    );
    return existing;
  }

  private async resolveUncertainCreate(
    request: CreateStoredKeyRequest,
    cause: Error,
  ): Promise<StoredKey> {
    this.logger.warn(
      `Creating groundcover ingestion key ${request.name} may or may not have succeeded (${cause.message}); looking it up`,
    );
    let existing: StoredKey | undefined;
    try {
      existing = await this.lookUntilVisible(request.name);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) {
        throw error;
      }
    }
    if (!existing) {
      throw new ServiceUnavailableError(
        `the outcome of creating ingestion key ${request.name} in groundcover is unknown (${cause.message}) and the key is not listed; retrying is safe`,
      );
    }
    this.assertOurs(existing, request);
    this.logger.info(
      `Found groundcover ingestion key ${request.name} after an uncertain create`,
    );
    return existing;
  }

  private assertOurs(existing: StoredKey, request: CreateStoredKeyRequest) {
    if (
      existing.type !== request.type ||
      !isSameKeyIdentity(existing.tags, request.tags)
    ) {
      throw new ConflictError(
        `an ingestion key named ${request.name} already exists in groundcover and is not managed by this portal for this entity`,
      );
    }
  }
}
