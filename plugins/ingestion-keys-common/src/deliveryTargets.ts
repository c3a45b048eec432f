import { IngestionKeySpec } from './types';

/**
 * The kind of target that External Secrets Operator pulls from (its webhook provider), built
 * into the backend: `external-secrets:<store>`.
 *
 * @public
 */
export const EXTERNAL_SECRETS_TARGET_KIND = 'external-secrets';

/**
 * How a delivery ended: the value was written to the target (`delivered`), fetched by it (a pull
 * target, `fetched`), or not (`failed`).
 *
 * @public
 */
export type DeliveryOutcome = 'delivered' | 'fetched' | 'failed';

/**
 * One delivery of a key's value to a target. Never carries the value.
 *
 * @public
 */
export interface KeyDelivery {
  keyId: string;
  keyName: string;
  generation: number;
  outcome: DeliveryOutcome;
  at: string;
  /** Where the value went, in words (a push target's receipt). */
  location?: string;
  /** Why it failed, in words an owner can act on. */
  error?: string;
}

/**
 * How a target came to be: declared in the entity's `ingestion-keys/provision` annotation, or
 * added by a person on the entity's tab.
 *
 * @public
 */
export type DeliveryTargetOrigin = 'annotation' | 'manual';

/**
 * A place a key identity's value is delivered to. It belongs to the identity (entity,
 * environment, type, integration), not to one key, so a rotation's successor goes to the same
 * targets.
 *
 * @public
 */
export interface KeyDeliveryTarget extends IngestionKeySpec {
  id: string;
  /** `<kind>:<address>`, for example `kubernetes:prod-eu/groundcover/api-key/API_KEY`. */
  target: string;
  kind: string;
  /** Pulled by the target (External Secrets) rather than written to it. */
  pull: boolean;
  origin: DeliveryTargetOrigin;
  addedBy: string;
  addedAt: string;
  /** The key whose value the target holds now (delivered or fetched), when it holds one. */
  currentKeyId?: string;
  currentGeneration?: number;
  /** Since when the target holds that key. */
  currentSince?: string;
  lastDelivery?: KeyDelivery;
}

/** @public */
export interface DeliveryTargetListResponse {
  items: KeyDeliveryTarget[];
}

/**
 * A kind of target this portal can deliver to, for the person adding one.
 *
 * @public
 */
export interface DeliveryTargetKind {
  kind: string;
  /** How an address of this kind is written, for example `<cluster>/<namespace>[/<secret>[/<data key>]]`. */
  addressFormat: string;
  pull: boolean;
}

/** @public */
export interface DeliveryTargetKindsResponse {
  items: DeliveryTargetKind[];
}

/** @public */
export interface AddDeliveryTargetRequest {
  /** `<kind>:<address>`. */
  target: string;
}

/**
 * A target written `<kind>:<address>`, split at its first colon.
 *
 * @public
 */
export interface TargetRef {
  kind: string;
  address: string;
}

/**
 * Splits `<kind>:<address>`; undefined when either part is missing.
 *
 * @public
 */
export function parseTargetRef(target: string): TargetRef | undefined {
  const colon = target.indexOf(':');
  const kind = target.slice(0, colon).trim();
  const address = target.slice(colon + 1).trim();
  return colon > 0 && kind && address ? { kind, address } : undefined;
}
