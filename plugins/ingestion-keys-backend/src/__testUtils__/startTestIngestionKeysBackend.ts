import { Knex } from 'knex';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import groundcoverModule from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';
import { ingestionKeysPlugin } from '../plugin';
import { ownershipPermissions } from './ownershipPermissions';
import { OutputRecorder } from './recordingServices';
import { TEST_ENTITIES } from './testCatalog';

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export type TestKeyStoreId = 'embedded' | 'groundcover';

/** Every test database paired with every key store, for `describe.each`. */
export function databasesAndKeyStores(databases: TestDatabases) {
  return databases
    .eachSupportedId()
    .flatMap(([databaseId]) =>
      (['embedded', 'groundcover'] as const).map(
        store => [databaseId, store] as const,
      ),
    );
}

export interface TestBackendOptions {
  knex: Knex;
  /** Default embedded; groundcover runs the real module against a local contract server. */
  keyStore?: TestKeyStoreId;
  /** How long the groundcover store waits for an answer, and for a key to show up in lists. */
  groundcoverTimeoutMs?: number;
  entities?: Entity[];
  /** Extra config under `ingestionKeys`. */
  config?: Record<string, unknown>;
  /** Extra features, e.g. a key-store module. */
  features?: BackendFeature[];
}

/**
 * The real plugin over real HTTP and a real database, with the catalog and the permission
 * policy replaced by doubles that follow catalog ownership.
 */
export async function startTestIngestionKeysBackend(
  options: TestBackendOptions,
) {
  const entities = options.entities ?? TEST_ENTITIES;
  const recorder = new OutputRecorder();
  // Kept at hand so a test can take an entity out of the catalog while the backend runs.
  const catalog = catalogServiceMock({ entities });
  const groundcover =
    options.keyStore === 'groundcover'
      ? await GroundcoverContractServer.start({ listLagMs: 30 })
      : undefined;
  const backend = await startTestBackend({
    features: [
      ingestionKeysPlugin,
      ...(groundcover ? [groundcoverModule] : []),
      ...(options.features ?? []),
      mockServices.database.factory({ knex: options.knex }),
      // Requests without credentials are unauthenticated, not the mock's default user.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          ingestionKeys: {
            environments: ['production', 'staging'],
            embedded: { encryptionKey: TEST_ENCRYPTION_KEY },
            ...(groundcover
              ? {
                  provider: 'groundcover',
                  groundcover: {
                    baseUrl: groundcover.baseUrl,
                    apiKey: groundcover.apiKey,
                    backendId: groundcover.backendId,
                    timeoutMs: options.groundcoverTimeoutMs ?? 2000,
                    lookupTimeoutMs: options.groundcoverTimeoutMs ?? 2000,
                  },
                }
              : {}),
            ...options.config,
          },
        },
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      ownershipPermissions(entities).factory,
      ...recorder.factories,
    ],
  });
  return {
    server: backend.server,
    recorder,
    catalog,
    groundcover,
    stop: async () => {
      await backend.stop();
      await groundcover?.stop();
    },
  };
}
