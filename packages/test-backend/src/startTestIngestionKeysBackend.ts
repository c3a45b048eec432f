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
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import {
  InMemoryKeyStore,
  keyStoreTestModule,
} from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { ownershipPermissions } from './ownershipPermissions';
import { testUserInfoServiceFactory } from './testUserInfo';
import { CapturedOutput } from './CapturedOutput';
import { TEST_ENTITIES } from './testCatalog';

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * A lookup timeout for a remote store's lookups that should give up: the key they look for is
 * never listed (it was not made, or the list lags longer than the test runs), so any value is
 * right; short, since the test waits it out. Lookups that should succeed then have to find their
 * key on their first try, in a list that does not lag.
 */
export const GIVE_UP_LOOKUP_MS = 200;

export type TestKeyStoreId = 'embedded' | 'in-memory';

/**
 * A key store a test backend runs, made by the test: the features that add it, the config that
 * selects it and what the backend's output must never show. A store module's own tests pass
 * one to run the plugin on the real store.
 */
export interface TestKeyStore {
  features: BackendFeature[];
  /** Merged into the config under `ingestionKeys`; selects the store by `provider`. */
  config: JsonObject;
  /** Values the store was given that must never show up in output, such as its API key. */
  credentials: string[];
  /** Every key value the store issued, revoked ones included. */
  issuedSecrets(): string[];
  /** The keys the store holds now, whether its reads show them yet or not. */
  keys(): Array<{ name: string }>;
  stop(): Promise<void>;
}

/** Every test database paired with both key stores of the plugin's own tests, for `describe.each`. */
export function databasesAndKeyStores(databases: TestDatabases) {
  return databases
    .eachSupportedId()
    .flatMap(([databaseId]) =>
      (['embedded', 'in-memory'] as const).map(
        store => [databaseId, store] as const,
      ),
    );
}

/** The in-memory store as a test backend runs it: with a list that lags, as remote stores do. */
function inMemoryTestKeyStore(store: InMemoryKeyStore): TestKeyStore {
  return {
    features: [keyStoreTestModule(store)],
    config: { provider: store.id, managedBy: 'backstage' },
    credentials: [],
    issuedSecrets: () => store.issuedSecrets(),
    keys: () => store.keys(),
    stop: async () => {},
  };
}

/**
 * Watches the writes of the plugin's embedded key store through `knex` and unseals the key values
 * it stores with `encryptionKey`. It needs the plugin's cipher: the plugin's own tests pass it.
 */
export type EmbeddedKeySecretsWatcher = (
  knex: Knex,
  encryptionKey: string,
) => { secrets(): string[]; stop(): void };

export interface TestBackendOptions {
  /**
   * The ingestion-keys backend plugin. Given by the test, since this package cannot import it:
   * the plugin's own tests import this package.
   */
  plugin: BackendFeature;
  /**
   * Required when the backend runs the embedded key store (no `keyStore` given), so that the
   * key values it makes are part of the secret check at `stop()`.
   */
  watchEmbeddedKeySecrets?: EmbeddedKeySecretsWatcher;
  knex: Knex;
  /**
   * Default embedded; `in-memory` adds an {@link InMemoryKeyStore} (returned as `inMemory`, for
   * faults, lag and latency) through the key-store extension point, like a store module does.
   */
  keyStore?: TestKeyStoreId | TestKeyStore;
  entities?: Entity[];
  /** Extra config under `ingestionKeys`. */
  config?: Record<string, unknown>;
  /** Config beside `ingestionKeys`, e.g. `backend.actions` for the MCP actions plugin. */
  rootConfig?: JsonObject;
  /** Extra features, e.g. a key-store module. */
  features?: BackendFeature[];
  /** The permissions service deciding for the plugin; default {@link ownershipPermissions}. */
  permissions?: ServiceFactory;
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
  const runsEmbeddedStore =
    options.keyStore === undefined || options.keyStore === 'embedded';
  if (runsEmbeddedStore && !options.watchEmbeddedKeySecrets) {
    throw new Error(
      'The embedded key store needs watchEmbeddedKeySecrets, so that stop() can check that its key values stay out of the output',
    );
  }
  const embeddedSecrets = options.watchEmbeddedKeySecrets?.(
    options.knex,
    TEST_ENCRYPTION_KEY,
  );
  // What the plugin sends the notifications backend: kept for the tests, and in the secret check.
  const notifications: NotificationSendOptions[] = [];
  // Kept at hand so a test can take an entity out of the catalog while the backend runs.
  const catalog = catalogServiceMock({ entities });
  const inMemory =
    options.keyStore === 'in-memory'
      ? InMemoryKeyStore.create({ listLagMs: 30 })
      : undefined;
  const keyStore =
    typeof options.keyStore === 'object'
      ? options.keyStore
      : inMemory && inMemoryTestKeyStore(inMemory);
  const backend = await startTestBackend({
    features: [
      options.plugin,
      ...(keyStore?.features ?? []),
      ...(options.features ?? []),
      mockServices.database.factory({ knex: options.knex }),
      // Requests without credentials are unauthenticated, not the mock's default user.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          ...options.rootConfig,
          ingestionKeys: {
            environments: ['production', 'staging'],
            embedded: { encryptionKey: TEST_ENCRYPTION_KEY },
            ...keyStore?.config,
            ...options.config,
          },
        },
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      options.permissions ?? ownershipPermissions(entities).factory,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          async send(notification: NotificationSendOptions) {
            notifications.push(notification);
            output.keep('notification', notification);
          },
        }),
      }),
      testUserInfoServiceFactory,
      ...output.factories,
    ],
  });
  output.watchResponses(backend.server);
  /** Every key value the key store issued during this backend's life, revoked ones included. */
  const issuedSecrets = () => [
    ...(embeddedSecrets?.secrets() ?? []),
    ...(keyStore?.issuedSecrets() ?? []),
  ];
  const expectNoSecretInOutput = () => {
    const credentials = [TEST_ENCRYPTION_KEY, ...(keyStore?.credentials ?? [])];
    expect(output.placesOf([...credentials, ...issuedSecrets()])).toEqual([]);
  };
  return {
    server: backend.server,
    output,
    /** Every notification the plugin sent, in order. */
    notifications,
    catalog,
    keyStore,
    inMemory,
    issuedSecrets,
    /** Stops the backend, then checks that nothing it wrote or answered holds a secret. */
    stop: async () => {
      try {
        await backend.stop();
        await keyStore?.stop();
      } finally {
        embeddedSecrets?.stop();
      }
      expectNoSecretInOutput();
    },
  };
}
