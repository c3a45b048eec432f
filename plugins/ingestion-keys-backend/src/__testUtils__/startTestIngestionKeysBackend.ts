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
import { CapturedOutput } from './CapturedOutput';
import { TEST_ENTITIES } from './testCatalog';
import { watchEmbeddedKeySecrets } from './watchEmbeddedKeySecrets';

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export type TestKeyStoreId = 'embedded' | 'groundcover';

/** For groundcover calls and lookups that should succeed: far more than they take under load. */
const GENEROUS_MS = 10_000;
/**
 * A groundcover lookup timeout for lookups that should give up: the key they look for is never
 * listed (it was not made, or the list lags longer than the test runs), so any value is right;
 * short, since the test waits it out. Lookups that should succeed then have to find their key on
 * their first try, in a list that does not lag.
 */
export const GIVE_UP_LOOKUP_MS = 200;

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
  /**
   * How long the groundcover store waits for an answer, and keeps looking for a key its list does
   * not show yet. Both are generous by default: a test shortens the one whose expiry it is about.
   */
  groundcover?: { timeoutMs?: number; lookupTimeoutMs?: number };
  entities?: Entity[];
  /** Extra config under `ingestionKeys`. */
  config?: Record<string, unknown>;
  /** Extra features, e.g. a key-store module. */
  features?: BackendFeature[];
}

/**
 * The real plugin over real HTTP and a real database, with the catalog and the permission
 * policy replaced by doubles that follow catalog ownership. Its logs and audit records go through
 * Backstage's own root logger and auditor to a capture: `stop()` fails if any secret it was given
 * or its key store issued shows up there, or in the body of a failed response.
 */
export async function startTestIngestionKeysBackend(
  options: TestBackendOptions,
) {
  const entities = options.entities ?? TEST_ENTITIES;
  const output = new CapturedOutput();
  const embeddedSecrets = watchEmbeddedKeySecrets(
    options.knex,
    TEST_ENCRYPTION_KEY,
  );
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
                    timeoutMs: GENEROUS_MS,
                    lookupTimeoutMs: GENEROUS_MS,
                    ...options.groundcover,
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
      ...output.factories,
    ],
  });
  output.watchResponses(backend.server);
  /** Every key value the key store issued during this backend's life, revoked ones included. */
  const issuedSecrets = () => [
    ...embeddedSecrets.secrets(),
    ...(groundcover?.issuedSecrets() ?? []),
  ];
  const expectNoSecretInOutput = () => {
    const credentials = [
      TEST_ENCRYPTION_KEY,
      ...(groundcover ? [groundcover.apiKey] : []),
    ];
    expect(output.placesOf([...credentials, ...issuedSecrets()])).toEqual([]);
  };
  return {
    server: backend.server,
    output,
    catalog,
    groundcover,
    issuedSecrets,
    /** Stops the backend, then checks that nothing it wrote or answered holds a secret. */
    stop: async () => {
      try {
        await backend.stop();
        await groundcover?.stop();
      } finally {
        embeddedSecrets.stop();
      }
      expectNoSecretInOutput();
    },
  };
}
