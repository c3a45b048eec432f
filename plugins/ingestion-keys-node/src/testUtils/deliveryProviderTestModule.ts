import { createBackendModule } from '@backstage/backend-plugin-api';
import { IngestionKeyDeliveryProvider } from '../IngestionKeyDeliveryProvider';
import { ingestionKeyDeliveryProvidersExtensionPoint } from '../extensions';

/**
 * A backend module that adds `provider` to the ingestion-keys backend, for test backends that
 * deliver through a provider made by the test (such as an {@link InMemoryDeliveryProvider}).
 *
 * @public
 */
export function deliveryProviderTestModule(
  provider: IngestionKeyDeliveryProvider,
) {
  return createBackendModule({
    pluginId: 'ingestion-keys',
    moduleId: `test-delivery-${provider.kind}`,
    register(reg) {
      reg.registerInit({
        deps: { providers: ingestionKeyDeliveryProvidersExtensionPoint },
        async init({ providers }) {
          providers.addDeliveryProvider(provider);
        },
      });
    },
  });
}
