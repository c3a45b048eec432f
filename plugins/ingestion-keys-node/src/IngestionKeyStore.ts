import {
  IngestionKeyType,
  KeyTags,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * The tags a key carries in its store, so that the plugin can recognise its own keys later.
 *
 * @public
 */
export type StoredKeyTags = KeyTags;

/** @public */
export interface CreateStoredKeyRequest {
  name: string;
  type: IngestionKeyType;
  remoteConfig: boolean;
  tags: StoredKeyTags;
}

/**
 * A key as its store knows it. `secret` is the key's value: never log it.
 *
 * @public
 */
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

/**
 * A key store's view of a key without its value.
 *
 * @public
 */
export type StoredKeySummary = Omit<StoredKey, 'secret'>;

/**
 * A place where ingestion keys live: the embedded store, groundcover, or another vendor added
 * by a backend module through `ingestionKeyStoresExtensionPoint`.
 *
 * Implementations throw `@backstage/errors` errors: `ConflictError` when a name is taken by a
 * key of another identity, a `KeyStoreBusyError` when the store turned a request away
 * before acting on it (it rate limits, or was not reached), `ServiceUnavailableError` for other
 * trouble that may pass (the caller may retry), and a `KeyStoreError` whose message names
 * the cause for anything else upstream.
 * Messages never carry a key's value or the store's own credentials.
 *
 * `runKeyStoreContractTests` from `@ingestion-keys/plugin-ingestion-keys-node/testUtils` is the
 * suite every store passes.
 *
 * @public
 */
export interface IngestionKeyStore {
  /** The provider id used in config (`ingestionKeys.provider`) and recorded with every key. */
  readonly id: string;

  /**
   * Creates a key. When the name already holds a key with the same identity (see
   * `isSameKeyIdentity` in -common) the store returns that key instead of making a second one. A
   * store must not create a key twice when a call times out: it resolves an uncertain outcome by
   * looking the name up.
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

  /**
   * Deletes a key permanently. A key that is already gone counts as deleted. The store's own
   * reads stop showing a deleted key at once, even where its backend's lists lag.
   * `options.providerKeyId` is the store's id of the key, when the caller has just read it: a
   * store that needs the id to hide the key from its lagging reads need not look it up again.
   */
  delete(name: string, options?: { providerKeyId?: string }): Promise<void>;
}
