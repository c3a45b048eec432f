import { TestKeyStore } from 'test-backend';
import groundcoverModule from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';

/** For groundcover calls and lookups that should succeed: far more than they take under load. */
const GENEROUS_MS = 10_000;

export interface GroundcoverTestKeyStoreOptions {
  /**
   * How long the store waits for an answer, and keeps looking for a key its list does not show
   * yet. Both are generous by default: a test shortens the one whose expiry it is about.
   */
  timeoutMs?: number;
  lookupTimeoutMs?: number;
}

/**
 * The real groundcover module against a local contract server whose list lags, as a key store
 * for the plugin's test backend (`startTestIngestionKeysBackend({ keyStore })`).
 */
export async function startGroundcoverTestKeyStore(
  options: GroundcoverTestKeyStoreOptions = {},
): Promise<{ server: GroundcoverContractServer; keyStore: TestKeyStore }> {
  const server = await GroundcoverContractServer.start({ listLagMs: 30 });
  const keyStore: TestKeyStore = {
    features: [groundcoverModule],
    config: {
      provider: 'groundcover',
      managedBy: 'backstage',
      groundcover: {
        baseUrl: server.baseUrl,
        apiKey: server.apiKey,
        backendId: server.backendId,
        timeoutMs: options.timeoutMs ?? GENEROUS_MS,
        lookupTimeoutMs: options.lookupTimeoutMs ?? GENEROUS_MS,
      },
    },
    credentials: [server.apiKey],
    issuedSecrets: () => server.issuedSecrets(),
    keys: () => server.keys(),
    stop: () => server.stop(),
  };
  return { server, keyStore };
}
