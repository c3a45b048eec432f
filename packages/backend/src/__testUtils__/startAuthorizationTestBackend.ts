import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import ingestionKeysPlugin from '@ingestion-keys/plugin-ingestion-keys-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DemoPermissionPolicy } from '../permissions/DemoPermissionPolicy';
import { actorNamingAuthServiceFactory } from './actorNamingAuthServiceFactory';
import { catalogSignInUserInfoServiceFactory } from './catalogSignInUserInfoServiceFactory';
import { HiddenEntitiesPolicy } from './HiddenEntitiesPolicy';
import { PolicyQueryLog } from './PolicyQueryLog';
import { TestEntityProvider } from './TestEntityProvider';
import {
  ADMIN_GROUP,
  HIDDEN_ANNOTATION,
  ORGANISATION,
} from './testOrganisation';
import { waitForCatalogToServe } from './waitForCatalogToServe';

/**
 * The ingestion-keys plugin with the real catalog (fed by a test entity provider), the real
 * permission backend deciding with the demo policy (plus a test rule that hides annotated
 * entities from non-admins, and a log of every query), each plugin on its own test database.
 */
export async function startAuthorizationTestBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const knexByPlugin = new Map<
    string,
    Awaited<ReturnType<TestDatabases['init']>>
  >();
  for (const pluginId of ['catalog', 'ingestion-keys']) {
    knexByPlugin.set(pluginId, await databases.init(databaseId));
  }
  const entities = new TestEntityProvider(ORGANISATION);
  const policyQueries = new PolicyQueryLog();

  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      permissionPlugin,
      ingestionKeysPlugin,
      createBackendModule({
        pluginId: 'catalog',
        moduleId: 'test-entities',
        register(reg) {
          reg.registerInit({
            deps: { catalog: catalogProcessingExtensionPoint },
            async init({ catalog }) {
              catalog.addEntityProvider(entities);
            },
          });
        },
      }),
      createBackendModule({
        pluginId: 'permission',
        moduleId: 'test-policy',
        register(reg) {
          reg.registerInit({
            deps: {
              policy: policyExtensionPoint,
              config: coreServices.rootConfig,
            },
            async init({ policy, config }) {
              policy.setPolicy(
                policyQueries.recording(
                  new HiddenEntitiesPolicy(
                    DemoPermissionPolicy.fromConfig(config),
                    HIDDEN_ANNOTATION,
                  ),
                ),
              );
            },
          });
        },
      }),
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        factory: ({ plugin }) => {
          const knex = knexByPlugin.get(plugin.getId());
          if (!knex) {
            throw new Error(
              `No test database for the ${plugin.getId()} plugin`,
            );
          }
          return mockServices.database({ knex });
        },
      }),
      actorNamingAuthServiceFactory,
      catalogSignInUserInfoServiceFactory,
      // Requests without credentials are unauthenticated, not the mock's default user.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true, adminGroups: [ADMIN_GROUP] },
          ingestionKeys: {
            environments: ['production', 'staging'],
            embedded: { encryptionKey: Buffer.alloc(32, 7).toString('base64') },
          },
        },
      }),
    ],
  });
  const api = request(backend.server);

  /** Puts entities into the catalog and waits until it serves them. */
  const putEntities = async (changed: Entity[]) => {
    await entities.put(changed);
    await waitForCatalogToServe(api, changed);
  };
  await waitForCatalogToServe(api, ORGANISATION);

  return { api, policyQueries, putEntities, stop: () => backend.stop() };
}
