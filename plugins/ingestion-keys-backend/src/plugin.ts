import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { durationToMilliseconds } from '@backstage/types';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { ingestionKeysPermissions } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  IngestionKeyDeliveryProvider,
  ingestionKeyDeliveryProvidersExtensionPoint,
  IngestionKeyStore,
  ingestionKeyStoresExtensionPoint,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { EXTERNAL_SECRETS_TARGET_KIND } from '@ingestion-keys/plugin-ingestion-keys-common';
import { DatabaseKeyRecordStore } from './database/DatabaseKeyRecordStore';
import { DatabaseDeliveryTargetStore } from './database/DatabaseDeliveryTargetStore';
import { DELIVERY_TASK_ID, DeliveryService } from './delivery/DeliveryService';
import { PullRateLimiter } from './delivery/PullRateLimiter';
import { RotationPolicy } from './rotation/RotationPolicy';
import { RotationFinisher } from './rotation/RotationFinisher';
import { ProvisioningRunStore } from './database/ProvisioningRunStore';
import { migrateDatabase } from './database/migrateDatabase';
import { EmbeddedKeyStore } from './stores/EmbeddedKeyStore';
import { SecretCipher } from './stores/SecretCipher';
import { IngestionKeysService } from './service/IngestionKeysService';
import { readIngestionKeysConfig } from './service/readIngestionKeysConfig';
import { ConcurrencyLimitedKeyStore } from './provisioning/ConcurrencyLimitedKeyStore';
import { ProvisioningReconciler } from './provisioning/ProvisioningReconciler';
import {
  PROVISIONING_TASK_ID,
  ProvisioningService,
} from './provisioning/ProvisioningService';
import { EntityAccessControl } from './router/EntityAccessControl';
import { createRouter } from './router/createRouter';
import { registerIngestionKeysActions } from './actions/registerIngestionKeysActions';
import { KeyNotifier } from './notifications/KeyNotifier';
import {
  ROTATION_REMINDERS_TASK_ID,
  RotationReminders,
} from './notifications/RotationReminders';

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

    const deliveryProviders = new Map<string, IngestionKeyDeliveryProvider>();
    env.registerExtensionPoint(ingestionKeyDeliveryProvidersExtensionPoint, {
      addDeliveryProvider(provider) {
        if (
          deliveryProviders.has(provider.kind) ||
          provider.kind === EXTERNAL_SECRETS_TARGET_KIND
        ) {
          throw new Error(
            `A delivery provider for ${provider.kind} targets was already added`,
          );
        }
        deliveryProviders.set(provider.kind, provider);
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
        actionsRegistry: actionsRegistryServiceRef,
        notifications: notificationService,
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

        const notifier = config.notifications
          ? KeyNotifier.create({
              notifications: deps.notifications,
              logger,
              catalog: deps.catalog,
              auth: deps.auth,
            })
          : undefined;
        const serviceOptions = {
          records,
          keyStore,
          settings,
          managedBy: config.managedBy,
          maxLiveKeysPerEntity: config.maxLiveKeysPerEntity,
          logger,
          auditor: deps.auditor,
          notifier,
        };
        const service = IngestionKeysService.create(serviceOptions);

        const { delivery, rotation } = config;
        const deliveries = DeliveryService.create({
          targets: DatabaseDeliveryTargetStore.create({ db }),
          keys: service,
          providers: deliveryProviders,
          externalSecretsStores: delivery.externalSecretsStores,
          managedBy: config.managedBy,
          concurrency: delivery.concurrency,
          deliveryTimeoutMs: delivery.timeoutMs,
          logger,
          auditor: deps.auditor,
          notifier,
          scheduler: deps.scheduler,
        });
        const policy = RotationPolicy.create(rotation);
        const rotations = RotationFinisher.create({
          records,
          keys: service,
          deliveries,
          policy,
          automatic: rotation.automatic,
          revokeAfterDeliveryMs: rotation.revokeAfterDeliveryMs,
          logger,
          notifier,
        });
        // On one instance at a time. Rotations first, so that a successor made now is delivered
        // in the same pass.
        await deps.scheduler.scheduleTask({
          id: DELIVERY_TASK_ID,
          scope: 'global',
          ...delivery.schedule,
          fn: async signal => {
            await rotations.rotateAged(signal);
            await deliveries.deliverDue(signal);
            await rotations.finishDelivered(signal);
          },
        });

        if (config.provisioning) {
          const reconciler = ProvisioningReconciler.create({
            catalog: deps.catalog,
            auth: deps.auth,
            // The run's calls to the key store are what `provisioning.concurrency` bounds.
            service: IngestionKeysService.create({
              ...serviceOptions,
              keyStore: ConcurrencyLimitedKeyStore.wrap(
                keyStore,
                config.provisioning.concurrency,
              ),
            }),
            records,
            runs,
            keyStore,
            deliveries,
            logger,
            notifier,
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

        const provisioning = ProvisioningService.create({
          records,
          runs,
          scheduler: deps.scheduler,
          environments: settings.environments,
          maxEntriesPerEntity: config.provisioning?.maxEntriesPerEntity,
        });
        const access = EntityAccessControl.create({
          catalog: deps.catalog,
          permissions: deps.permissions,
          auth: deps.auth,
          userInfo: deps.userInfo,
          serviceAccess: config.serviceAccess,
        });
        if (notifier && config.notifications) {
          const { rotationReminder } = config.notifications;
          const reminders = RotationReminders.create({
            records,
            notifier,
            remindAfterMs: durationToMilliseconds(rotationReminder),
          });
          await deps.scheduler.scheduleTask({
            id: ROTATION_REMINDERS_TASK_ID,
            scope: 'global',
            frequency: rotationReminder,
            timeout: { minutes: 10 },
            fn: async () => {
              await reminders.run();
            },
          });
        }

        deps.httpRouter.use(
          await createRouter({
            service,
            deliveries,
            pullLimiter: PullRateLimiter.create({
              perMinute: delivery.pullsPerMinute,
            }),
            externalSecretsStores: delivery.externalSecretsStores,
            policy,
            provisioning,
            access,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
          }),
        );
        // MCP tools (through the actions registry) with the same access control as the API.
        registerIngestionKeysActions({
          actionsRegistry: deps.actionsRegistry,
          service,
          provisioning,
          access,
          auditor: deps.auditor,
          // Without app.baseUrl (tests) links are app-relative paths.
          appBaseUrl: deps.config.getOptionalString('app.baseUrl') ?? '',
        });
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
