/**
 * Ingestion keys for Backstage: the Ingestion Keys entity tab, the org-wide page and the overview
 * card (legacy frontend system; the new frontend system plugin is the default export of `/alpha`).
 *
 * @packageDocumentation
 */
export {
  ingestionKeysPlugin,
  IngestionKeysPage,
  EntityIngestionKeysContent,
  EntityIngestionKeysCard,
} from './plugin';
export { ingestionKeysApiRef, IngestionKeysClient } from './api';
export type { IngestionKeysApi, ProvisioningRunTriggered } from './api';
