import {
  startTestIngestionKeysBackend as startSharedTestBackend,
  TestBackendOptions,
} from 'test-backend';
import { ingestionKeysPlugin } from '../plugin';
import { watchEmbeddedKeySecrets } from './watchEmbeddedKeySecrets';

/**
 * The shared test backend running this package's plugin, with the key values its embedded store
 * writes in the secret check at `stop()`.
 */
export function startTestIngestionKeysBackend(
  options: Omit<TestBackendOptions, 'plugin' | 'watchEmbeddedKeySecrets'>,
) {
  return startSharedTestBackend({
    ...options,
    plugin: ingestionKeysPlugin,
    watchEmbeddedKeySecrets,
  });
}
