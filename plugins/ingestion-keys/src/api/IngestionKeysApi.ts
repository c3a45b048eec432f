import { createApiRef } from '@backstage/core-plugin-api';
import {
  AddDeliveryTargetRequest,
  CreateKeyRequest,
  DeliveryTargetKindsResponse,
  DeliveryTargetListResponse,
  EntityProvisioningStatus,
  EventListResponse,
  IngestionKey,
  IngestionKeySecret,
  IngestionKeysSettings,
  IngestionKeyWithSecret,
  KeyDeliveryTarget,
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
  /** The kinds of target this portal can deliver keys to; none when no provider is configured. */
  listDeliveryTargetKinds(): Promise<DeliveryTargetKindsResponse>;
  /** The delivery targets of an entity's key identities, each with its last delivery. */
  listDeliveryTargets(entityRef: string): Promise<DeliveryTargetListResponse>;
  /**
   * Adds a target to the identity of a key (so its rotation successors go there too). A push
   * target is delivered to at once: the answer's `lastDelivery` says how that went. Needs the
   * permission to reveal the key.
   */
  addDeliveryTarget(
    keyId: string,
    request: AddDeliveryTargetRequest,
  ): Promise<KeyDeliveryTarget>;
  /** Delivers the identity's current key to a target again, now. */
  deliverToTarget(targetId: string): Promise<KeyDeliveryTarget>;
  /** Removes a target added by hand; the annotation's targets are removed from the annotation. */
  removeDeliveryTarget(targetId: string): Promise<void>;
  /** Every target whose last delivery failed, across the organisation; administrators only. */
  listFailedDeliveries(): Promise<DeliveryTargetListResponse>;
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
