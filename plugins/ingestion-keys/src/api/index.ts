export { ingestionKeysApiRef } from './IngestionKeysApi';
export type {
  IngestionKeysApi,
  ProvisioningRunTriggered,
} from './IngestionKeysApi';
export { IngestionKeysClient } from './IngestionKeysClient';
export { ingestionKeysApiFactory } from './ingestionKeysApiFactory';
