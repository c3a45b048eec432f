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
import { EmbeddedKeyStore } from './stores/EmbeddedKeyStore';
import { SecretCipher } from './stores/SecretCipher';
import { IngestionKeysService } from './service/IngestionKeysService';
import { readIngestionKeysSettings } from './service/readIngestionKeysSettings';
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
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const settings = readIngestionKeysSettings(deps.config);
        deps.permissionsRegistry.addPermissions(ingestionKeysPermissions);

        const records = await DatabaseKeyRecordStore.create({
          database: deps.database,
        });
        const keyStore =
          settings.provider === 'embedded'
            ? EmbeddedKeyStore.create({
                db: await deps.database.getClient(),
                cipher: SecretCipher.fromString(
                  deps.config.getString('ingestionKeys.embedded.encryptionKey'),
                ),
              })
            : addedStores.get(settings.provider);
        if (!keyStore) {
          throw new Error(
            `ingestionKeys.provider is "${settings.provider}", but no such key store was added; ` +
              `install its backend module (available: embedded${[
                ...addedStores.keys(),
              ]
                .map(id => `, ${id}`)
                .join('')})`,
          );
        }
        deps.logger.info(
          `Ingestion keys are kept in the ${keyStore.id} key store`,
        );

        const service = IngestionKeysService.create({
          records,
          keyStore,
          settings,
          managedBy:
            deps.config.getOptionalString('ingestionKeys.managedBy') ??
            'backstage',
          logger: deps.logger,
        });
        deps.httpRouter.use(
          await createRouter({
            service,
            access: EntityAccessControl.create({
              catalog: deps.catalog,
              permissions: deps.permissions,
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
