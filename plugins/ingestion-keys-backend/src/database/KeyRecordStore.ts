import {
  IngestionKey,
  IngestionKeyAction,
  IngestionKeyEvent,
  IngestionKeyOrigin,
  IngestionKeySpec,
  KeyListQuery,
  UndesiredReason,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** A key record as the plugin database holds it: the API's metadata plus bookkeeping. */
export interface KeyRecord extends IngestionKey {
  providerKeyId?: string;
  generation: number;
}

export interface NewKeyRecord extends IngestionKeySpec {
  name: string;
  remoteConfig: boolean;
  provider: string;
  origin: IngestionKeyOrigin;
  createdBy: string;
  ownerRef?: string;
  generation: number;
  /** Set for a rotation successor: the key it replaces. */
  replacesId?: string;
}

/** The API's list filters, plus a set of entities the keys must belong to. */
export interface KeyRecordQuery extends KeyListQuery {
  /** Only the keys of these entities (normalised refs); none when empty. */
  entityRefs?: string[];
}

export interface KeyActivation {
  providerKeyId?: string;
  actor: string;
  /**
   * The key store held the key already: its history says it was adopted. Its origin stays the
   * reservation's, so that a manual key or rotation settled by provisioning never counts as one
   * provisioning may revoke.
   */
  adopted?: boolean;
}

/**
 * Persistence of key records and their audit trail. Uniqueness is enforced by the database:
 * one live key per identity and per name, however many requests race.
 */
export interface KeyRecordStore {
  /**
   * Records a `pending` key before its store is called. Throws `ConflictError` naming the live
   * key when the identity or the name is taken (or, for a successor, when a rotation of the same
   * key is already under way); `KeyNameTakenError` when another entity's key holds the name.
   */
  reserve(record: NewKeyRecord): Promise<KeyRecord>;

  /**
   * Turns a reservation into an active key and records, in the same transaction, that `actor`
   * created it (or adopted it, when the key store held it already). A successor moves the old key
   * to `rotating`, and its creation records the rotation in the old key's history. Throws
   * `NotFoundError` when the reservation is gone, `ConflictError` when the key a successor
   * replaces is no longer active; nothing is written then.
   */
  activate(reservation: KeyRecord, change: KeyActivation): Promise<KeyRecord>;

  /** Drops a reservation whose key was not created. */
  discard(id: string): Promise<void>;

  /**
   * Marks a key revoked and records that in its history: it keeps its record as history and frees
   * its identity and name. A key revoked already, by this call's caller or a racing one, is
   * returned as it is, and its revocation is not recorded twice. A revoked rotation successor
   * makes the key it was to replace active again, or, when it was replaced itself, leaves that
   * key waiting for its own successor.
   */
  markRevoked(id: string, revokedBy: string): Promise<KeyRecord>;

  /** Notes that the key store's key of this record's name is not the key recorded. */
  markReplacedOutside(id: string): Promise<void>;

  get(id: string): Promise<KeyRecord | undefined>;

  /** The newest record of this name, live or revoked. */
  getByName(name: string): Promise<KeyRecord | undefined>;

  list(
    query: KeyRecordQuery,
  ): Promise<{ items: KeyRecord[]; totalCount: number }>;

  /** Records something done with a key that changes nothing about it, such as a reveal. */
  addEvent(event: {
    key: Pick<IngestionKey, 'id' | 'name' | 'entityRef'>;
    action: IngestionKeyAction;
    actor: string;
  }): Promise<void>;

  /** Whether the key the store knows by this id is one this plugin revoked. */
  wasRevoked(provider: string, providerKeyId: string): Promise<boolean>;

  /** Live keys (pending or active) that hold an identity, for a batch of entities. */
  findByEntities(entityRefs: string[]): Promise<KeyRecord[]>;

  /**
   * The database's clock, which reservations are timestamped with: a reservation's age is the
   * same on every instance, however far their own clocks drift.
   */
  now(): Promise<Date>;

  /**
   * Reservations made at or before `createdBefore`, page by page: keys whose creator died between
   * the key store and the database, or whose key store call never returned. Inclusive, so that a
   * pending timeout of 0 also settles a reservation made in the same millisecond.
   */
  streamStalePending(
    createdBefore: Date,
    pageSize?: number,
  ): AsyncIterable<KeyRecord[]>;

  /**
   * Which of these keys the store lists have a record: a live one (pending, active or rotating)
   * by name, or a revoked one by the store's id (still listed by a lagging store).
   */
  recordedNames(
    provider: string,
    keys: Array<{ name: string; providerKeyId?: string }>,
  ): Promise<Set<string>>;

  /** Active provisioned or adopted keys, page by page. */
  streamProvisioned(pageSize?: number): AsyncIterable<KeyRecord[]>;

  /** Marks keys undesired, keeping the time of the first mark. */
  markUndesired(ids: string[], reason: UndesiredReason): Promise<void>;

  clearUndesired(ids: string[]): Promise<void>;

  listUndesired(filter: {
    entityRef?: string;
    limit?: number;
  }): Promise<KeyRecord[]>;

  listEvents(filter: {
    keyId?: string;
    entityRef?: string;
    limit?: number;
  }): Promise<IngestionKeyEvent[]>;
}
