import {
  DeliveryOutcome,
  DeliveryTargetOrigin,
  IngestionKeySpec,
  KeyDeliveryTarget,
} from '@ingestion-keys/plugin-ingestion-keys-common';

export interface NewDeliveryTarget extends IngestionKeySpec {
  /** `<kind>:<address>`, the address in its recorded form. */
  target: string;
  kind: string;
  pull: boolean;
  origin: DeliveryTargetOrigin;
  addedBy: string;
}

/** A target whose identity's active key is not the one it holds. */
export interface DueDelivery {
  target: KeyDeliveryTarget;
  keyId: string;
}

export interface NewDelivery {
  keyId: string;
  keyName: string;
  generation: number;
  outcome: DeliveryOutcome;
  location?: string;
  error?: string;
}

/**
 * Persistence of delivery targets and of every delivery made to them. A target belongs to a key
 * identity; the database keeps one target per identity and address, however many requests race.
 */
export interface DeliveryTargetStore {
  /** Throws `ConflictError` when the identity has this target already. */
  add(target: NewDeliveryTarget): Promise<KeyDeliveryTarget>;

  get(id: string): Promise<KeyDeliveryTarget | undefined>;

  remove(id: string): Promise<void>;

  listByEntity(entityRef: string): Promise<KeyDeliveryTarget[]>;

  listByIdentity(spec: IngestionKeySpec): Promise<KeyDeliveryTarget[]>;

  /** Targets whose last delivery failed, most recent failure first. */
  listFailed(limit: number): Promise<KeyDeliveryTarget[]>;

  /**
   * Push targets (not pull) whose identity has an active key they do not hold yet: new targets,
   * targets of a rotated identity, and targets whose last delivery failed.
   */
  listDue(limit: number): Promise<DueDelivery[]>;

  /**
   * Records a delivery, and on success that the target holds the key from now on; returns the
   * target as it is then.
   */
  recordDelivery(
    targetId: string,
    delivery: NewDelivery,
  ): Promise<KeyDeliveryTarget>;

  /**
   * Makes the annotation's targets exactly these: adds those missing, removes those no annotation
   * declares any more. Targets added by people stay, and a declared target a person added already
   * stays theirs.
   */
  replaceDeclared(
    declared: NewDeliveryTarget[],
  ): Promise<{ added: number; removed: number }>;
}
