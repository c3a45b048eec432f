import { StoredKeyTags } from './IngestionKeyStore';

/**
 * Whether a key found in a store was made by this portal for exactly this purpose: the only
 * case in which a store or the reconciler may adopt it instead of creating a new one.
 */
export function isSameKeyIdentity(
  found: StoredKeyTags | undefined,
  wanted: StoredKeyTags,
): boolean {
  return (
    !!found &&
    found.managedBy === wanted.managedBy &&
    found.entityRef.toLocaleLowerCase('en-US') ===
      wanted.entityRef.toLocaleLowerCase('en-US') &&
    found.environment === wanted.environment &&
    found.type === wanted.type &&
    (found.integration ?? '') === (wanted.integration ?? '')
  );
}
