import { CreateKeyRequest, IngestionKeySpec } from './types';

/**
 * The create request provisioning makes for a declared entry: sensors pull their remote
 * configuration with their key, as keys made in the UI do unless the user turns it off.
 *
 * @public
 */
export function provisionedKeyRequest(
  spec: IngestionKeySpec,
): CreateKeyRequest {
  return { ...spec, remoteConfig: spec.type === 'sensor' };
}
