import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { IngestionKeysClient } from './IngestionKeysClient';
import { createIngestionKeyAction } from './actions/createIngestionKeyAction';
import { declareIngestionKeysAction } from './actions/declareIngestionKeysAction';

/**
 * The ingestion-keys actions for the scaffolder: `ingestion-keys:create` and
 * `ingestion-keys:declare`.
 *
 * @public
 */
export const scaffolderModuleIngestionKeys = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ingestion-keys',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, discovery, auth, config }) {
        const client = IngestionKeysClient.create({ discovery, auth });
        scaffolder.addActions(
          createIngestionKeyAction({
            client,
            appBaseUrl: config.getString('app.baseUrl'),
          }),
          declareIngestionKeysAction({ client }),
        );
      },
    });
  },
});
