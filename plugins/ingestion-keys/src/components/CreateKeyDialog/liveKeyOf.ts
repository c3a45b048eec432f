import {
  IngestionKey,
  IngestionKeySpec,
  IngestionKeysSettings,
  IngestionKeyType,
  keyIdentityOf,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** The live key (not revoked) that holds this identity, which a create would answer 409 for. */
export function liveKeyOf(
  keys: IngestionKey[],
  spec: IngestionKeySpec,
): IngestionKey | undefined {
  const identity = keyIdentityOf(spec);
  return keys.find(
    key => key.status !== 'revoked' && keyIdentityOf(key) === identity,
  );
}

/**
 * The first environment and type, in the settings' order and without an integration, that the
 * entity has no live key for; the very first when every one is taken.
 */
export function firstFreeIdentity(
  settings: Pick<IngestionKeysSettings, 'environments' | 'types'>,
  entityRef: string,
  keys: IngestionKey[],
): { environment: string; type: IngestionKeyType } {
  for (const environment of settings.environments) {
    for (const type of settings.types) {
      if (!liveKeyOf(keys, { entityRef, environment, type })) {
        return { environment, type };
      }
    }
  }
  return { environment: settings.environments[0], type: settings.types[0] };
}
