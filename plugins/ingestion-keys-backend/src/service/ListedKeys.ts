import { keyIdentityOf } from '@ingestion-keys/plugin-ingestion-keys-common';
import { StoredKeySummary } from '@ingestion-keys/plugin-ingestion-keys-node';

/**
 * What the key store listed at the start of a provisioning run: by name, and by the identity its
 * tags name, so that a key is found without its record whatever generation its name carries.
 */
export class ListedKeys {
  private readonly byName: ReadonlyMap<string, StoredKeySummary>;
  private readonly byIdentity = new Map<string, StoredKeySummary[]>();

  static of(keys: StoredKeySummary[]): ListedKeys {
    return new ListedKeys(keys);
  }

  private constructor(keys: StoredKeySummary[]) {
    this.byName = new Map(keys.map(k => [k.name, k]));
    for (const key of keys) {
      if (key.tags) {
        const identity = keyIdentityOf(key.tags);
        this.byIdentity.set(identity, [
          ...(this.byIdentity.get(identity) ?? []),
          key,
        ]);
      }
    }
  }

  all(): StoredKeySummary[] {
    return [...this.byName.values()];
  }

  get(name: string): StoredKeySummary | undefined {
    return this.byName.get(name);
  }

  /** The listed keys whose tags name this identity, made by any portal. */
  taggedFor(identity: string): StoredKeySummary[] {
    return this.byIdentity.get(identity) ?? [];
  }
}
