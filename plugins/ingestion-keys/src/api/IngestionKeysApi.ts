import { createApiRef } from '@backstage/core-plugin-api';
import {
  CreateKeyRequest,
  EventListResponse,
  IngestionKey,
  IngestionKeySecret,
  IngestionKeysSettings,
  IngestionKeyWithSecret,
  KeyListQuery,
  KeyListResponse,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * The ingestion-keys backend as the frontend sees it. Only `createKey`, `revealKey` and `rotateKey`
 * return a secret; callers keep it in component state, never in storage.
 *
 * @public
 */
export interface IngestionKeysApi {
  getSettings(): Promise<IngestionKeysSettings>;
  listKeys(query: KeyListQuery): Promise<KeyListResponse>;
  createKey(request: CreateKeyRequest): Promise<IngestionKeyWithSecret>;
  revealKey(id: string): Promise<IngestionKeySecret>;
  rotateKey(id: string): Promise<IngestionKeyWithSecret>;
  revokeKey(id: string): Promise<IngestionKey>;
  listKeyEvents(id: string): Promise<EventListResponse>;
  listEntityEvents(entityRef: string): Promise<EventListResponse>;
}

/** @public */
export const ingestionKeysApiRef = createApiRef<IngestionKeysApi>({
  id: 'plugin.ingestion-keys.service',
});
