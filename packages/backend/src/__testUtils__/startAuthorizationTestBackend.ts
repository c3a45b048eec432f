import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import ingestionKeysPlugin from '@ingestion-keys/plugin-ingestion-keys-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  deliveryProviderTestModule,
  InMemoryDeliveryProvider,
} from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { DemoPermissionPolicy } from '../permissions/DemoPermissionPolicy';
import { catalogSignInUserInfoServiceFactory } from './catalogSignInUserInfoServiceFactory';
import { HiddenEntitiesPolicy } from './HiddenEntitiesPolicy';
import { PolicyQueryLog } from './PolicyQueryLog';
import {
  RESTRICTED_STATIC_TOKEN,
  testAuthServiceFactory,
} from './testAuthServiceFactory';
import { TestEntityProvider } from './TestEntityProvider';
import {
  ADMIN_GROUP,
  HIDDEN_ANNOTATION,
  ORGANISATION,
} from './testOrganisation';
import { waitForCatalogToServe } from './waitForCatalogToServe';

/** The token subject that External Secrets store `eu` pulls with; no matrix principal has it. */
export const EXTERNAL_SECRETS_SUBJECT = 'external:eso-eu';

/**
 * What config allows backend services: the test service that makes keys (and their delivery
 * targets) for the tests, the scaffolder everything, the restricted static token reveal and rotate (which its access
 * restrictions refuse). Any other service may only read.
 */
const SERVICE_ACCESS = [
  {
    subject: mockCredentials.service().principal.subject,
    allow: ['create', 'reveal'],
  },
  {
    subject: 'plugin:scaffolder',
    allow: ['create', 'reveal', 'rotate', 'revoke', 'admin'],
  },
  { subject: RESTRICTED_STATIC_TOKEN.subject, allow: ['reveal', 'rotate'] },
];

/**
 * The ingestion-keys plugin with the real catalog (fed by a test entity provider), the real
 * permission backend deciding with the demo policy (plus a test rule that hides annotated
 * entities from non-admins, and a log of every query), each plugin on its own test database.
 */
export async function startAuthorizationTestBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  /** More plugins (e.g. the MCP actions backend) and the config beside `ingestionKeys` they read. */
  extra: { features?: BackendFeature[]; rootConfig?: JsonObject } = {},
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
      // Delivery targets of kind `memory`, so that the delivery routes have targets to act on.
      deliveryProviderTestModule(new InMemoryDeliveryProvider()),
      ...(extra.features ?? []),
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
      testAuthServiceFactory,
      catalogSignInUserInfoServiceFactory,
      // The real one over the test auth service: requests without credentials are
      // unauthenticated, and tokens it knows of (a restricted static token) authenticate.
      httpAuthServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          ...extra.rootConfig,
          permission: { enabled: true, adminGroups: [ADMIN_GROUP] },
          ingestionKeys: {
            environments: ['production', 'staging'],
            embedded: { encryptionKey: Buffer.alloc(32, 7).toString('base64') },
            serviceAccess: SERVICE_ACCESS,
            // Every cell of the matrix makes a key of the same entity.
            maxLiveKeysPerEntity: 1000,
            delivery: {
              externalSecrets: {
                stores: [{ name: 'eu', subject: EXTERNAL_SECRETS_SUBJECT }],
              },
            },
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

  return {
    api,
    server: backend.server,
    policyQueries,
    putEntities,
    stop: () => backend.stop(),
  };
}
