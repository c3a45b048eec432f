import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { isSameKeyIdentity } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  CreateStoredKeyRequest,
  IngestionKeyStore,
  StoredKey,
  StoredKeySummary,
} from '../IngestionKeyStore';
import { KeyStoreBusyError } from '../KeyStoreBusyError';
import { KeyStoreError } from '../KeyStoreError';

/** @public */
export type InMemoryKeyStoreOperation = 'create' | 'get' | 'list' | 'delete';

/**
 * Behaviour of a remote store that the in-memory one reproduces, changeable while it runs.
 *
 * @public
 */
export interface InMemoryKeyStoreQuirks {
  /**
   * A created key shows up in `list` and in `get` without `waitForVisibility` only this long
   * after its create. Each create keeps the lag in force when it was made (see `catchUpList()`).
   * Deletes never lag: the contract forbids it.
   */
  listLagMs: number;
  /** Added to every call before it takes effect. */
  latencyMs: number;
}

/** @public */
export interface InMemoryKeyStoreOptions
  extends Partial<InMemoryKeyStoreQuirks> {
  /** The provider id. Default `in-memory`. */
  id?: string;
}

/**
 * A failure the store answers to the next matching call(s), expressed as the status a remote
 * store's API would have answered and mapped to the error such a store throws for it (see
 * `IngestionKeyStore`): 409 is a `ConflictError`; 429 is a `KeyStoreBusyError`
 * (turned away, nothing changed); 503 is a `ServiceUnavailableError`, and so is any other 5xx on
 * `create`, because a store cannot tell whether such a create was committed and reports the
 * doubt as trouble that may pass; anything else is a `KeyStoreError`.
 *
 * @public
 */
export interface InMemoryKeyStoreFault {
  /** Only calls of this operation match; default any operation. */
  operation?: InMemoryKeyStoreOperation;
  status: number;
  message?: string;
  /** How many matching calls fail. Default 1. */
  times?: number;
  /** The call takes effect first, then fails: the caller never learns that it succeeded. */
  afterCommit?: boolean;
}

interface Entry {
  key: StoredKey;
  visibleAt: number;
}

/**
 * The wait a 429 asks for.
 *
 * @public
 */
export const IN_MEMORY_RETRY_AFTER_SECONDS = 5;

type PendingFault = InMemoryKeyStoreFault & { remaining: number };

function errorFor(
  operation: InMemoryKeyStoreOperation,
  fault: InMemoryKeyStoreFault,
): Error {
  const message = fault.message ?? `injected ${fault.status} on ${operation}`;
  if (fault.status === 409) {
    return new ConflictError(message);
  }
  if (fault.status === 429) {
    return new KeyStoreBusyError(message, IN_MEMORY_RETRY_AFTER_SECONDS);
  }
  if (fault.status === 503 || (operation === 'create' && fault.status >= 500)) {
    return new ServiceUnavailableError(message);
  }
  return new KeyStoreError(message);
}

function summaryOf({ secret: _secret, ...summary }: StoredKey) {
  return { ...summary, tags: summary.tags && { ...summary.tags } };
}

function copyOf(key: StoredKey): StoredKey {
  return { ...key, tags: key.tags && { ...key.tags } };
}

/**
 * A key store that keeps its keys in memory, for tests of the plugin and its modules: it keeps
 * the key-store contract, can lag and be slow like a remote store, fails on demand the way
 * real stores fail, and tells a test every key value it ever made.
 *
 * @public
 */
export class InMemoryKeyStore implements IngestionKeyStore {
  readonly id: string;
  private quirks: InMemoryKeyStoreQuirks;
  private entries = new Map<string, Entry>();
  private faults: PendingFault[] = [];
  private readonly issued: string[] = [];
  private counts: Record<InMemoryKeyStoreOperation, number> = {
    create: 0,
    get: 0,
    list: 0,
    delete: 0,
  };

  static create(options: InMemoryKeyStoreOptions = {}): InMemoryKeyStore {
    return new InMemoryKeyStore(options);
  }

  private constructor(options: InMemoryKeyStoreOptions) {
    this.id = options.id ?? 'in-memory';
    this.quirks = {
      listLagMs: options.listLagMs ?? 0,
      latencyMs: options.latencyMs ?? 0,
    };
  }

  /** Calls received per operation, faulted ones included. */
  get calls(): Record<InMemoryKeyStoreOperation, number> {
    return { ...this.counts };
  }

  configure(quirks: Partial<InMemoryKeyStoreQuirks>): void {
    this.quirks = { ...this.quirks, ...quirks };
  }

  /** Queues a fault; faults are used in the order they were injected. */
  injectFault(fault: InMemoryKeyStoreFault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Ends the list lag of every create made so far, as if it had passed. */
  catchUpList(): void {
    const now = Date.now();
    for (const entry of this.entries.values()) {
      entry.visibleAt = Math.min(entry.visibleAt, now);
    }
  }

  /** The keys that exist now, secrets included, whether reads show them yet or not. */
  keys(): StoredKey[] {
    return [...this.entries.values()].map(entry => copyOf(entry.key));
  }

  /** Every key value this store has made, those of deleted keys included. */
  issuedSecrets(): string[] {
    return [...this.issued];
  }

  create(request: CreateStoredKeyRequest): Promise<StoredKey> {
    return this.call('create', () => {
      const existing = this.entries.get(request.name)?.key;
      if (existing) {
        if (
          existing.type !== request.type ||
          !isSameKeyIdentity(existing.tags, request.tags)
        ) {
          throw new ConflictError(
            `an ingestion key named ${request.name} already exists in the ${this.id} key store and is not managed by this portal for this entity`,
          );
        }
        return copyOf(existing);
      }
      const key: StoredKey = {
        providerKeyId: randomUUID(),
        name: request.name,
        type: request.type,
        remoteConfig: request.remoteConfig,
        tags: { ...request.tags },
        secret: `imks_${randomBytes(32).toString('base64url')}`,
      };
      this.issued.push(key.secret);
      this.entries.set(key.name, {
        key,
        visibleAt: Date.now() + this.quirks.listLagMs,
      });
      return copyOf(key);
    });
  }

  async get(
    name: string,
    options?: { waitForVisibility?: boolean },
  ): Promise<StoredKey | undefined> {
    const entry = await this.call('get', () => this.entries.get(name));
    if (!entry) {
      return undefined;
    }
    const wait = entry.visibleAt - Date.now();
    if (wait > 0 && options?.waitForVisibility) {
      await sleep(wait);
    } else if (wait > 0) {
      return undefined;
    }
    // Deleted while this call waited for the key to become visible.
    return this.entries.get(name) === entry ? copyOf(entry.key) : undefined;
  }

  list(): Promise<StoredKeySummary[]> {
    return this.call('list', () => {
      const now = Date.now();
      return [...this.entries.values()]
        .filter(entry => entry.visibleAt <= now)
        .map(entry => summaryOf(entry.key));
    });
  }

  delete(name: string): Promise<void> {
    return this.call('delete', () => {
      this.entries.delete(name);
    });
  }

  /** Counts the call, waits its latency, then fails it, performs it, or both (after commit). */
  private async call<T>(
    operation: InMemoryKeyStoreOperation,
    perform: () => T,
  ): Promise<T> {
    this.counts[operation]++;
    if (this.quirks.latencyMs > 0) {
      await sleep(this.quirks.latencyMs);
    }
    const fault = this.takeFault(operation);
    if (!fault) {
      return perform();
    }
    if (fault.afterCommit) {
      perform();
    }
    throw errorFor(operation, fault);
  }

  private takeFault(
    operation: InMemoryKeyStoreOperation,
  ): PendingFault | undefined {
    const fault = this.faults.find(
      f => !f.operation || f.operation === operation,
    );
    if (fault && --fault.remaining <= 0) {
      this.faults = this.faults.filter(f => f !== fault);
    }
    return fault;
  }
}
