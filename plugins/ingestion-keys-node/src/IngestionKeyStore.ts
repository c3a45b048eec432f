import { IngestionKeyType } from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * Labels a key carries in its store so that the plugin can recognise its own keys later, for
 * example when adopting a key whose database record was lost.
 */
export interface StoredKeyTags {
  managedBy: string;
  entityRef: string;
  environment: string;
  type: IngestionKeyType;
  integration?: string;
}

export interface CreateStoredKeyRequest {
  name: string;
  type: IngestionKeyType;
  remoteConfig: boolean;
  tags: StoredKeyTags;
}

/** A key as its store knows it. `secret` is the key's value: never log it. */
export interface StoredKey {
  /** The store's own id, when it has one. */
  providerKeyId?: string;
  name: string;
  type: IngestionKeyType;
  remoteConfig: boolean;
  /** Undefined when the store holds tags this plugin did not write. */
  tags?: StoredKeyTags;
  secret: string;
}

/** A key store's view of a key without its value. */
export type StoredKeySummary = Omit<StoredKey, 'secret'>;

/**
 * A place where ingestion keys live: the embedded store, groundcover, or another vendor added
 * by a backend module through {@link ingestionKeyStoresExtensionPoint}.
 *
 * Implementations throw `@backstage/errors` errors: `ConflictError` when the name is taken,
 * `NotFoundError` when a key does not exist, `ServiceUnavailableError` for trouble that may pass,
 * and a {@link KeyStoreError} whose message names the cause for anything else upstream.
 */
export interface IngestionKeyStore {
  /** The provider id used in config (`ingestionKeys.provider`) and recorded with every key. */
  readonly id: string;

  /**
   * Creates a key. A store must not create a key twice when a call times out: it resolves an
   * uncertain outcome by looking the name up.
   */
  create(request: CreateStoredKeyRequest): Promise<StoredKey>;

  /**
   * Finds a key by name, or undefined. `options.waitForVisibility` allows a store whose reads
   * lag its writes to keep looking for a key it has just been told exists.
   */
  get(
    name: string,
    options?: { waitForVisibility?: boolean },
  ): Promise<StoredKey | undefined>;

  /** Every key in the store, without values: one call, however many keys. */
  list(): Promise<StoredKeySummary[]>;

  /** Deletes a key permanently. A key that is already gone counts as deleted. */
  delete(name: string): Promise<void>;
}
