export { ingestionKeysApiRef } from './IngestionKeysApi';
export type { IngestionKeysApi } from './IngestionKeysApi';
export { IngestionKeysClient } from './IngestionKeysClient';
export { ingestionKeysApiFactory } from './ingestionKeysApiFactory';
