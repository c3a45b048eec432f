/**
 * The service principal provisioning acts as: keys it creates, adopts, settles or revokes are
 * recorded as its doing, and the UI shows it by this name.
 *
 * @public
 */
export const PROVISIONER = 'plugin:ingestion-keys/provisioner';
