import {
  DeliveryOutcome,
  IngestionKey,
  KeyDeliveryTarget,
  keyIdentityOf,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { formatRelativeTime } from '../RelativeTime/formatRelativeTime';

/** Where a target stands: its last delivery's outcome, or `pending` before the first one. */
export type DeliveryState = DeliveryOutcome | 'pending';

/**
 * The targets a key is delivered to. Targets belong to the key's identity, so a key and its
 * rotation successor share them; a revoked key is nobody's current key and has none.
 */
export function targetsOfKey(
  targets: readonly KeyDeliveryTarget[],
  key: IngestionKey,
): KeyDeliveryTarget[] {
  if (key.status === 'revoked') {
    return [];
  }
  const identity = keyIdentityOf(key);
  return targets.filter(target => keyIdentityOf(target) === identity);
}

export function deliveryStateOf(target: KeyDeliveryTarget): DeliveryState {
  return target.lastDelivery?.outcome ?? 'pending';
}

/** The state that most needs attention: a failure before a target still waiting for its key. */
export function worstDeliveryState(
  targets: readonly KeyDeliveryTarget[],
): DeliveryState | undefined {
  const states = targets.map(deliveryStateOf);
  return (['failed', 'pending', 'delivered', 'fetched'] as const).find(state =>
    states.includes(state),
  );
}

/**
 * A target's last delivery in a sentence: "Delivered 5 minutes ago: Secret api-key in …",
 * "Failed 1 hour ago: namespace not found", or why there is none yet.
 */
export function describeLastDelivery(
  target: KeyDeliveryTarget,
  now: Date = new Date(),
): string {
  const delivery = target.lastDelivery;
  if (!delivery) {
    return target.pull
      ? 'Not fetched yet: External Secrets fetches the key on its next refresh'
      : 'Not delivered yet';
  }
  const when = formatRelativeTime(new Date(delivery.at), now);
  switch (delivery.outcome) {
    case 'failed':
      return `Failed ${when}${delivery.error ? `: ${delivery.error}` : ''}`;
    case 'fetched':
      return `Fetched ${when} (${delivery.keyName})`;
    default:
      return `Delivered ${when}${
        delivery.location ? `: ${delivery.location}` : ''
      } (${delivery.keyName})`;
  }
}
