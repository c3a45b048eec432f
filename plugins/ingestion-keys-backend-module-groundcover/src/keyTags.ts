import {
  INGESTION_KEY_TYPES,
  IngestionKeyType,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { StoredKeyTags } from '@ingestion-keys/plugin-ingestion-keys-node';

/**
 * Our labels live under a domain-qualified name. groundcover's own tags are bare `name:value`
 * pairs in the same space, and its ingress acts on some of them (`remoteConfig:true` grants
 * read access), so a label of ours must never read as one of those.
 */
export const KEY_TAG_NAMESPACE = 'ingestion-keys.backstage.io/';

const LABELS = {
  managedBy: 'managed-by',
  entityRef: 'entity',
  environment: 'environment',
  type: 'type',
  integration: 'integration',
} as const satisfies Record<keyof StoredKeyTags, string>;

type TagField = keyof typeof LABELS;

const FIELD_BY_LABEL = new Map<string, TagField>(
  Object.entries(LABELS).map(([field, label]) => [label, field as TagField]),
);

/** groundcover tags are plain strings, so each label becomes `<namespace><label>:<value>`. */
export function encodeKeyTags(tags: StoredKeyTags): string[] {
  return (Object.keys(LABELS) as TagField[])
    .filter(field => tags[field] !== undefined)
    .map(field => `${KEY_TAG_NAMESPACE}${LABELS[field]}:${tags[field]}`);
}

/** Reads `<label>:<value>` pairs; other tags are ignored, a label given twice is ambiguous. */
function decodeLabels(tags: readonly string[]): StoredKeyTags | undefined {
  const values: Partial<Record<TagField, string>> = {};
  for (const tag of tags) {
    const separator = tag.indexOf(':');
    const field = FIELD_BY_LABEL.get(tag.slice(0, separator));
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

/**
 * The labels this plugin wrote, or undefined when the tags are not ours. Tags outside our
 * namespace are groundcover's or people's and are ignored. Keys made before the namespace carry
 * bare labels (`entity:…`); those are read only when no namespaced label is present, since a
 * bare tag may just as well be groundcover's own.
 */
export function decodeKeyTags(
  tags: readonly string[],
): StoredKeyTags | undefined {
  const namespaced = tags
    .filter(tag => tag.startsWith(KEY_TAG_NAMESPACE))
    .map(tag => tag.slice(KEY_TAG_NAMESPACE.length));
  return decodeLabels(namespaced.length > 0 ? namespaced : tags);
}
