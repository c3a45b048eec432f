/**
 * The three kinds of ingestion key groundcover knows.
 *
 * @public
 */
export const INGESTION_KEY_TYPES = ['sensor', 'rum', 'thirdParty'] as const;

/** @public */
export type IngestionKeyType = (typeof INGESTION_KEY_TYPES)[number];

/**
 * Labels used wherever a type is shown to a person.
 *
 * @public
 */
export const INGESTION_KEY_TYPE_LABELS: Record<IngestionKeyType, string> = {
  sensor: 'Sensor',
  rum: 'RUM',
  thirdParty: 'Third Party',
};

/**
 * `pending` is a reservation taken before the key store is called, so that concurrent requests
 * for the same key meet at the database; `rotating` is a key whose successor exists and that
 * stays valid until it is revoked.
 *
 * @public
 */
export const INGESTION_KEY_STATUSES = [
  'pending',
  'active',
  'rotating',
  'revoked',
] as const;

/** @public */
export type IngestionKeyStatus = (typeof INGESTION_KEY_STATUSES)[number];

/**
 * How a key came to be recorded.
 *
 * @public
 */
export type IngestionKeyOrigin = 'manual' | 'provisioned' | 'adopted';

/**
 * What a key is for: the identity that generated names are derived from.
 *
 * @public
 */
export interface IngestionKeySpec {
  entityRef: string;
  environment: string;
  type: IngestionKeyType;
  integration?: string;
}

/**
 * Key metadata as the API returns it. Never carries the secret.
 *
 * @public
 */
export interface IngestionKey extends IngestionKeySpec {
  id: string;
  name: string;
  remoteConfig: boolean;
  status: IngestionKeyStatus;
  origin: IngestionKeyOrigin;
  provider: string;
  /** The entity's owner when the key was recorded. */
  ownerRef?: string;
  createdBy: string;
  createdAt: string;
  replacesId?: string;
  replacedById?: string;
  revokedBy?: string;
  revokedAt?: string;
  /** Set on provisioned keys that no annotation asks for any more. */
  undesiredSince?: string;
  undesiredReason?: UndesiredReason;
  /**
   * Set when reveal or revoke found another key of this name in the key store (the portal's key
   * deleted there and one of the same name made outside the portal): that key is neither
   * revealed nor deleted.
   */
  replacedOutsideAt?: string;
  /**
   * When the key reaches the age at which `ingestionKeys.rotation.maxAge` asks for its rotation;
   * set on active keys that a rule applies to. Past it, the key is "rotation due".
   */
  rotationDueAt?: string;
}

/**
 * The only shapes that carry a key's value: create, reveal and rotate responses.
 *
 * @public
 */
export interface IngestionKeyWithSecret {
  key: IngestionKey;
  secret: string;
}

/** @public */
export interface IngestionKeySecret {
  id: string;
  name: string;
  secret: string;
}

/** @public */
export type IngestionKeyAction =
  | 'created'
  | 'revealed'
  | 'rotated'
  | 'revoked'
  | 'adopted'
  /** Its value was written to a delivery target. */
  | 'delivered'
  /** A pull target (External Secrets) fetched its value. */
  | 'fetched';

/**
 * One audit-trail entry: who did what to which key, and when. Never the secret.
 *
 * @public
 */
export interface IngestionKeyEvent {
  id: string;
  keyId: string;
  keyName: string;
  entityRef: string;
  action: IngestionKeyAction;
  actor: string;
  at: string;
}

/** @public */
export const KEY_SORT_FIELDS = [
  'name',
  'type',
  'environment',
  'status',
  'createdBy',
  'createdAt',
] as const;

/** @public */
export type KeySortField = (typeof KEY_SORT_FIELDS)[number];

/** @public */
export interface KeyListQuery {
  entityRef?: string;
  environment?: string;
  type?: IngestionKeyType;
  status?: IngestionKeyStatus;
  createdBy?: string;
  ownerRef?: string;
  /** Revoked keys are history: listed only when asked for, or with `status: 'revoked'`. */
  includeRevoked?: boolean;
  orderBy?: KeySortField;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

/** @public */
export interface KeyListResponse {
  items: IngestionKey[];
  totalCount: number;
}

/** @public */
export interface EventListResponse {
  items: IngestionKeyEvent[];
}

/** @public */
export interface CreateKeyRequest extends IngestionKeySpec {
  remoteConfig?: boolean;
}

/**
 * Where data senders send to, for the usage snippets.
 *
 * @public
 */
export interface SnippetSettings {
  otlpEndpoint: string;
  rumDsn: string;
  firehoseEndpoint?: string;
}

/** @public */
export interface IngestionKeysSettings {
  environments: string[];
  types: IngestionKeyType[];
  provider: string;
  namingPattern: string;
  snippets: SnippetSettings;
}

/**
 * Why a provisioned key is no longer wanted.
 *
 * @public
 */
export type UndesiredReason = 'entity-removed' | 'entry-removed';

/**
 * A provisioned key that no annotation asks for any more; revoked only if so configured.
 *
 * @public
 */
export interface UndesiredKey {
  keyId: string;
  keyName: string;
  entityRef: string;
  environment: string;
  type: IngestionKeyType;
  integration?: string;
  reason: UndesiredReason;
  since: string;
}

/**
 * A key the key store holds with this portal's `managed-by` tag that no record accounts for, once
 * a run has adopted what it could: lost with a database restore, or an older generation beside
 * the one adopted. It still works; revoke it in the key store if nobody uses it.
 *
 * @public
 */
export interface UnrecordedKey {
  keyName: string;
  entityRef: string;
  environment: string;
  type: IngestionKeyType;
  integration?: string;
}

/** @public */
export interface ProvisioningProblem {
  entityRef: string;
  entry: string;
  /** Why, in full: what admins see. */
  reason: string;
  /**
   * What the entity's readers are told instead, when `reason` says more than they may know (an
   * upstream error's body, another entity's key).
   */
  readerReason?: string;
}

/**
 * What one reconciler run did.
 *
 * @public
 */
export interface ProvisioningRunReport {
  startedAt: string;
  finishedAt: string;
  entitiesSeen: number;
  keysDesired: number;
  keysCreated: number;
  keysAdopted: number;
  keysRevoked: number;
  failed: ProvisioningProblem[];
  invalidEntries: ProvisioningProblem[];
  undesiredCount: number;
  storeCalls: { list: number; create: number };
  /** Why the run stopped before it finished, e.g. the key store could not be listed. */
  error?: string;
  /** Keys the store holds with this portal's tag and no record; absent from older runs' reports. */
  unrecordedKeys?: UnrecordedKey[];
  /** Problems beyond those the stored report lists, counted only. */
  unlisted?: {
    failed: number;
    invalidEntries: number;
    unrecordedKeys?: number;
  };
}

/** @public */
export type ProvisionedKeyState = 'provisioned' | 'pending' | 'failed';

/**
 * One declared entry of an entity and where it stands.
 *
 * @public
 */
export interface ProvisioningEntryStatus {
  entry: string;
  environment: string;
  type: IngestionKeyType;
  integration?: string;
  state: ProvisionedKeyState;
  keyId?: string;
  keyName?: string;
  reason?: string;
}

/** @public */
export interface EntityProvisioningStatus {
  entityRef: string;
  /** The annotation's value, or undefined when the entity declares no keys. */
  annotation?: string;
  entries: ProvisioningEntryStatus[];
  invalidEntries: ProvisioningProblem[];
  undesired: UndesiredKey[];
}

/** @public */
export interface ProvisioningStatusResponse {
  lastRun?: ProvisioningRunReport;
  undesired: UndesiredKey[];
}

/**
 * The provisioning problems of the entities the caller's teams own: declared keys the last run
 * could not create, annotation entries it skipped, and provisioned keys no longer declared.
 *
 * @public
 */
export interface OwnedProvisioningProblems {
  /** Declared keys the last run could not create, with the reason readers are told. */
  failed: ProvisioningProblem[];
  /** Annotation entries that could not be understood. */
  invalidEntries: ProvisioningProblem[];
  /** Provisioned keys no annotation asks for any more. */
  undesired: UndesiredKey[];
}
