import {
  INGESTION_KEY_TYPES,
  IngestionKeyType,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { StoredKeyTags } from '@ingestion-keys/plugin-ingestion-keys-node';

const PREFIXES = {
  managedBy: 'managed-by',
  entityRef: 'entity',
  environment: 'environment',
  type: 'type',
  integration: 'integration',
} as const satisfies Record<keyof StoredKeyTags, string>;

type TagField = keyof typeof PREFIXES;

const FIELD_BY_PREFIX = new Map<string, TagField>(
  Object.entries(PREFIXES).map(([field, prefix]) => [
    prefix,
    field as TagField,
  ]),
);

/** groundcover tags are plain strings, so each label becomes `<prefix>:<value>`. */
export function encodeKeyTags(tags: StoredKeyTags): string[] {
  return (Object.keys(PREFIXES) as TagField[])
    .filter(field => tags[field] !== undefined)
    .map(field => `${PREFIXES[field]}:${tags[field]}`);
}

/**
 * The labels this plugin wrote, or undefined when the tags are not ours. Tags with other
 * prefixes are ignored, since people may tag keys in groundcover's UI; a label given twice
 * with different values makes the key's identity ambiguous, so it is not ours either.
 */
export function decodeKeyTags(
  tags: readonly string[],
): StoredKeyTags | undefined {
  const values: Partial<Record<TagField, string>> = {};
  for (const tag of tags) {
    const separator = tag.indexOf(':');
    const field = FIELD_BY_PREFIX.get(tag.slice(0, separator));
    if (separator < 0 || !field) {
      continue;
    }
    const value = tag.slice(separator + 1);
    if (values[field] !== undefined && values[field] !== value) {
      return undefined;
    }
    values[field] = value;
  }
  const { managedBy, entityRef, environment, type, integration } = values;
  if (
    !managedBy ||
    !entityRef ||
    !environment ||
    !(INGESTION_KEY_TYPES as readonly string[]).includes(type ?? '')
  ) {
    return undefined;
  }
  return {
    managedBy,
    entityRef,
    environment,
    type: type as IngestionKeyType,
    ...(integration !== undefined && { integration }),
  };
}
