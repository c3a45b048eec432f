import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ingestionKeysPermissions } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  IngestionKeyStore,
  ingestionKeyStoresExtensionPoint,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { DatabaseKeyRecordStore } from './database/DatabaseKeyRecordStore';
import { ProvisioningRunStore } from './database/ProvisioningRunStore';
import { migrateDatabase } from './database/migrateDatabase';
import { EmbeddedKeyStore } from './stores/EmbeddedKeyStore';
import { SecretCipher } from './stores/SecretCipher';
import { IngestionKeysService } from './service/IngestionKeysService';
import { readIngestionKeysConfig } from './service/readIngestionKeysConfig';
import { ProvisioningReconciler } from './provisioning/ProvisioningReconciler';
import {
  PROVISIONING_TASK_ID,
  ProvisioningService,
} from './provisioning/ProvisioningService';
import { EntityAccessControl } from './router/EntityAccessControl';
import { createRouter } from './router/createRouter';

/**
 * The ingestion-keys backend plugin: the only place that talks to a key store.
 *
 * @public
 */
export const ingestionKeysPlugin = createBackendPlugin({
  pluginId: 'ingestion-keys',
  register(env) {
    const addedStores = new Map<string, IngestionKeyStore>();
    env.registerExtensionPoint(ingestionKeyStoresExtensionPoint, {
      addKeyStore(store) {
        if (addedStores.has(store.id)) {
          throw new Error(
            `An ingestion key store with id ${store.id} was already added`,
          );
        }
        addedStores.set(store.id, store);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { logger } = deps;
        const config = readIngestionKeysConfig(deps.config);
        const { settings } = config;
        deps.permissionsRegistry.addPermissions(ingestionKeysPermissions);

        const db = await migrateDatabase(deps.database);
        const records = DatabaseKeyRecordStore.create({ db });
        const runs = ProvisioningRunStore.create({ db });
        const keyStore =
          settings.provider === 'embedded'
            ? EmbeddedKeyStore.create({
                db,
                cipher: SecretCipher.fromString(
                  config.embeddedEncryptionKey,
                  config.embeddedPreviousEncryptionKeys,
                ),
              })
            : addedStores.get(settings.provider);
        if (!keyStore) {
          const available = ['embedded', ...addedStores.keys()].join(', ');
          throw new Error(
            `ingestionKeys.provider is "${settings.provider}", but no such key store was added; ` +
              `install its backend module (available: ${available})`,
          );
        }
        logger.info(`Ingestion keys are kept in the ${keyStore.id} key store`);

        const service = IngestionKeysService.create({
          records,
          keyStore,
          settings,
          managedBy: config.managedBy,
          maxLiveKeysPerEntity: config.maxLiveKeysPerEntity,
          logger,
          auditor: deps.auditor,
        });

        if (config.provisioning) {
          const reconciler = ProvisioningReconciler.create({
            catalog: deps.catalog,
            auth: deps.auth,
            service,
            records,
            runs,
            keyStore,
            logger,
            ...config.provisioning,
          });
          await deps.scheduler.scheduleTask({
            id: PROVISIONING_TASK_ID,
            scope: 'global',
            ...config.provisioning.schedule,
            fn: async signal => {
              await reconciler.run(signal);
            },
          });
        }

        deps.httpRouter.use(
          await createRouter({
            service,
            provisioning: ProvisioningService.create({
              records,
              runs,
              scheduler: deps.scheduler,
              environments: settings.environments,
              maxEntriesPerEntity: config.provisioning?.maxEntriesPerEntity,
            }),
            access: EntityAccessControl.create({
              catalog: deps.catalog,
              permissions: deps.permissions,
              auth: deps.auth,
              userInfo: deps.userInfo,
              serviceAccess: config.serviceAccess,
            }),
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
