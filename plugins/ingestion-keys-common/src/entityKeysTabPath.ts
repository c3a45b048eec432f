import { parseEntityRef } from '@backstage/catalog-model';

/**
 * Where the demo app and the install instructions mount the entity tab.
 *
 * @public
 */
export const ENTITY_KEYS_TAB = 'ingestion-keys';

/**
 * The app path of an entity's Ingestion Keys tab, as the catalog's entity routes spell it
 * (`/catalog/:namespace/:kind/:name`, lower case as entity refs are recorded). Surfaces that
 * never carry a secret (MCP results, scaffolder output, notifications) link here, where the
 * entity's owners reveal a key.
 *
 * @public
 */
export function entityKeysTabPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(
    namespace.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/${ENTITY_KEYS_TAB}`;
}
