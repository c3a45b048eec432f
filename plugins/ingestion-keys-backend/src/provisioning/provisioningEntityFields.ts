/**
 * The entity fields that provisioning and its status read from the catalog: the ref, the
 * `ingestion-keys/provision` annotation and the owner (recorded on the keys made).
 */
export const PROVISIONING_ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
  'relations',
];
