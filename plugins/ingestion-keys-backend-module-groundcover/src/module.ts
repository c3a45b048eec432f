import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ingestionKeyStoresExtensionPoint } from '@ingestion-keys/plugin-ingestion-keys-node';
import { GroundcoverKeyStore } from './GroundcoverKeyStore';

/**
 * Adds the groundcover key store to the ingestion-keys backend. Installing the module changes
 * nothing until `ingestionKeys.groundcover` is configured; `ingestionKeys.provider: groundcover`
 * then selects the store.
 *
 * @public
 */
export const ingestionKeysModuleGroundcover = createBackendModule({
  pluginId: 'ingestion-keys',
  moduleId: 'groundcover',
  register(reg) {
    reg.registerInit({
      deps: {
        keyStores: ingestionKeyStoresExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ keyStores, config, logger }) {
        if (!config.has('ingestionKeys.groundcover')) {
          logger.info(
            'groundcover key store not added: ingestionKeys.groundcover is not configured',
          );
          return;
        }
        keyStores.addKeyStore(
          GroundcoverKeyStore.fromConfig(config, { logger }),
        );
      },
    });
  },
});
