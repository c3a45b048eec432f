import { createBackendModule } from '@backstage/backend-plugin-api';
import { IngestionKeyStore } from '../IngestionKeyStore';
import { ingestionKeyStoresExtensionPoint } from '../extensions';

/**
 * A backend module that adds `store` to the ingestion-keys backend, for test backends that run a
 * store made by the test (such as an {@link InMemoryKeyStore}) through the same extension point
 * real store modules use. `ingestionKeys.provider` still has to select it by its id.
 *
 * @public
 */
export function keyStoreTestModule(store: IngestionKeyStore) {
  return createBackendModule({
    pluginId: 'ingestion-keys',
    moduleId: `test-key-store-${store.id}`,
    register(reg) {
      reg.registerInit({
        deps: { keyStores: ingestionKeyStoresExtensionPoint },
        async init({ keyStores }) {
          keyStores.addKeyStore(store);
        },
      });
    },
  });
}
