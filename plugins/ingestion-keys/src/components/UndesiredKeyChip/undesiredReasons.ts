import { UndesiredReason } from '@ingestion-keys/plugin-ingestion-keys-common';

/** Why a provisioned key is undesired, as shown in tables and chips. */
export const UNDESIRED_REASON_LABELS: Record<UndesiredReason, string> = {
  'entry-removed': 'Entry removed',
  'entity-removed': 'Entity removed',
};

export const UNDESIRED_REASON_EXPLANATIONS: Record<UndesiredReason, string> = {
  'entry-removed': "The entity's annotation no longer declares this key",
  'entity-removed': 'The entity is no longer in the catalog',
};

/** Undesired keys keep working: removing a declaration never breaks a sender by itself. */
export const NOT_REVOKED_HINT =
  'Undesired keys are not revoked automatically: senders can still use them. The owner can revoke them once nothing uses them any more.';
