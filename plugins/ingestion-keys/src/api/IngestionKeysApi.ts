import { createApiRef } from '@backstage/core-plugin-api';
import {
  CreateKeyRequest,
  EntityProvisioningStatus,
  EventListResponse,
  IngestionKey,
  IngestionKeySecret,
  IngestionKeysSettings,
  IngestionKeyWithSecret,
  KeyListQuery,
  KeyListResponse,
  OwnedProvisioningProblems,
  ProvisioningStatusResponse,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * The ingestion-keys backend as the frontend sees it. Only `createKey`, `revealKey` and `rotateKey`
 * return a secret; callers keep it in component state, never in storage.
 *
 * @public
 */
export interface IngestionKeysApi {
  getSettings(): Promise<IngestionKeysSettings>;
  /** Without `entityRef`, every key of the organisation: administrators only. */
  listKeys(query: KeyListQuery): Promise<KeyListResponse>;
  /**
   * The keys of the entities the signed-in user's teams own (the backend knows the teams from
   * the user's token); `entityRef` and `ownerRef` narrow the list further.
   */
  listMyTeamsKeys(query: KeyListQuery): Promise<KeyListResponse>;
  createKey(request: CreateKeyRequest): Promise<IngestionKeyWithSecret>;
  revealKey(id: string): Promise<IngestionKeySecret>;
  rotateKey(id: string): Promise<IngestionKeyWithSecret>;
  revokeKey(id: string): Promise<IngestionKey>;
  listKeyEvents(id: string): Promise<EventListResponse>;
  listEntityEvents(entityRef: string): Promise<EventListResponse>;
  /** The keys an entity declares with its provisioning annotation, and where each stands. */
  getEntityProvisioningStatus(
    entityRef: string,
  ): Promise<EntityProvisioningStatus>;
  /** The provisioning problems of the entities the signed-in user's teams own. */
  getMyTeamsProvisioningProblems(): Promise<OwnedProvisioningProblems>;
  /** The last provisioning run and every undesired key; administrators only. */
  getProvisioningStatus(): Promise<ProvisioningStatusResponse>;
  /**
   * Asks for a provisioning run now; administrators only. The run happens in the background:
   * the status shows its report once it is done.
   */
  triggerProvisioningRun(): Promise<ProvisioningRunTriggered>;
}

/**
 * The answer to a provisioning run request: accepted, to run shortly.
 *
 * @public
 */
export interface ProvisioningRunTriggered {
  status: 'triggered';
}

/** @public */
export const ingestionKeysApiRef = createApiRef<IngestionKeysApi>({
  id: 'plugin.ingestion-keys.service',
});
