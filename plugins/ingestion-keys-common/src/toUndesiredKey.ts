import { IngestionKey, UndesiredKey } from './types';

/**
 * How a key no annotation asks for any more is reported. A key listed as undesired without a
 * reason or a time was marked before either was kept: it counts as an entry removed at creation.
 *
 * @public
 */
export function toUndesiredKey(key: IngestionKey): UndesiredKey {
  return {
    keyId: key.id,
    keyName: key.name,
    entityRef: key.entityRef,
    environment: key.environment,
    type: key.type,
    ...(key.integration ? { integration: key.integration } : {}),
    reason: key.undesiredReason ?? 'entry-removed',
    since: key.undesiredSince ?? key.createdAt,
  };
}
