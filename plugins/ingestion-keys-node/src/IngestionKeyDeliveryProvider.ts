import { IngestionKeySpec } from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * The key whose value a delivery carries, as the target may describe it (labels, annotations).
 *
 * @public
 */
export interface DeliveredKey extends IngestionKeySpec {
  id: string;
  name: string;
  /** 1 for a first key, 2 for its first rotation's successor, and so on. */
  generation: number;
}

/** @public */
export interface KeyDeliveryRequest {
  /** The target's address, as `parseAddress` returned it. */
  address: string;
  key: DeliveredKey;
  /** The key's value: never log it, never put it in an error. */
  secret: string;
  /** `ingestionKeys.managedBy`: which portal writes, so that a target can tell its writers apart. */
  managedBy: string;
  /** Aborted when the delivery's time is up; the provider stops and throws. */
  signal?: AbortSignal;
}

/**
 * Where a delivery put the value, in words a person reads on the key's tab.
 *
 * @public
 */
export interface KeyDeliveryReceipt {
  /** For example `Secret groundcover/api-key (data key API_KEY) in cluster prod-eu`. */
  location: string;
}

/**
 * A kind of place that key values are delivered to, such as Kubernetes Secrets, added by a
 * backend module through `ingestionKeyDeliveryProvidersExtensionPoint`. A target is written
 * `<kind>:<address>`, for example `kubernetes:prod-eu/groundcover/api-key`.
 *
 * `deliver` writes the value and resolves with where it went, or throws an error whose message
 * says what went wrong in words an owner can act on: `@backstage/errors` errors where one fits
 * (`NotAllowedError` when the target refuses this portal, `ConflictError` when something else
 * owns the place, `ServiceUnavailableError` when the target was not reached). A message never
 * carries the value or the provider's own credentials; the plugin also removes the value from
 * any message before it records one.
 *
 * @public
 */
export interface IngestionKeyDeliveryProvider {
  /** The `<kind>` of the targets this provider delivers to. */
  readonly kind: string;

  /**
   * How an address is written, for the person adding a target, for example
   * `<cluster>/<namespace>[/<secret>[/<data key>]]; clusters: prod-eu, prod-us`.
   */
  readonly addressFormat: string;

  /**
   * Checks an address and returns it in the one form it is recorded in (defaults filled in), so
   * that two spellings of one place are one target. Throws `InputError` saying what to fix.
   */
  parseAddress(address: string): string;

  /**
   * Writes the value to the target, replacing the one there. Called again with the same key after
   * a failure or a restart, so writing the same value twice must be harmless.
   */
  deliver(request: KeyDeliveryRequest): Promise<KeyDeliveryReceipt>;
}
