/**
 * Test helpers for the plugin's modules: the real plugin in a test backend, on a key store the
 * module's test provides.
 *
 * @packageDocumentation
 */
export {
  GIVE_UP_LOOKUP_MS,
  startTestIngestionKeysBackend,
  type TestBackendOptions,
  type TestKeyStore,
} from '../__testUtils__/startTestIngestionKeysBackend';
export { API_V1, AUTH_AS } from '../__testUtils__/testCallers';
