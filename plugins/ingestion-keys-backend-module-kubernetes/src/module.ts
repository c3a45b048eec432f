import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ingestionKeyDeliveryProvidersExtensionPoint } from '@ingestion-keys/plugin-ingestion-keys-node';
import { KubernetesDeliveryProvider } from './KubernetesDeliveryProvider';

/**
 * Adds delivery of key values into Kubernetes Secrets (targets `kubernetes:<address>`) to the
 * ingestion-keys backend. Installing the module changes nothing until a cluster is configured
 * under `ingestionKeys.kubernetes.clusters`.
 *
 * @public
 */
export const ingestionKeysModuleKubernetes = createBackendModule({
  pluginId: 'ingestion-keys',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        deliveryProviders: ingestionKeyDeliveryProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ deliveryProviders, config, logger }) {
        if (
          !config.getOptionalConfigArray('ingestionKeys.kubernetes.clusters')
            ?.length
        ) {
          logger.info(
            'Kubernetes delivery provider not added: no cluster is configured under ingestionKeys.kubernetes.clusters',
          );
          return;
        }
        const provider = KubernetesDeliveryProvider.fromConfig(config, {
          logger,
        });
        deliveryProviders.addDeliveryProvider(provider);
        logger.info(
          `Kubernetes delivery provider added; ${provider.addressFormat}`,
        );
      },
    });
  },
});
