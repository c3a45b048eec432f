import {
  CreateStoredKeyRequest,
  IngestionKeyStore,
  StoredKey,
  StoredKeySummary,
} from '@ingestion-keys/plugin-ingestion-keys-node';

/**
 * A key store whose calls wait for one of `limit` slots. Provisioning bounds its calls to the
 * key store this way rather than by bounding whole key creations, so that the database work
 * around one key's store call (its reservation, its activation) overlaps other keys' calls and
 * the store sees `limit` calls at once for as long as a run has keys to make.
 */
export class ConcurrencyLimitedKeyStore implements IngestionKeyStore {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  static wrap(store: IngestionKeyStore, limit: number): IngestionKeyStore {
    return new ConcurrencyLimitedKeyStore(store, limit);
  }

  private constructor(
    private readonly store: IngestionKeyStore,
    private readonly limit: number,
  ) {}

  get id(): string {
    return this.store.id;
  }

  create(request: CreateStoredKeyRequest): Promise<StoredKey> {
    return this.inSlot(() => this.store.create(request));
  }

  get(
    name: string,
    options?: { waitForVisibility?: boolean },
  ): Promise<StoredKey | undefined> {
    return this.inSlot(() => this.store.get(name, options));
  }

  list(): Promise<StoredKeySummary[]> {
    return this.inSlot(() => this.store.list());
  }

  delete(name: string, options?: { providerKeyId?: string }): Promise<void> {
    return this.inSlot(() => this.store.delete(name, options));
  }

  private async inSlot<T>(call: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.limit) {
      // The slot is handed over by the call that frees it, so a newcomer cannot take it first.
      await new Promise<void>(resolve => this.waiting.push(resolve));
    } else {
      this.inFlight++;
    }
    try {
      return await call();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.inFlight--;
      }
    }
  }
}
