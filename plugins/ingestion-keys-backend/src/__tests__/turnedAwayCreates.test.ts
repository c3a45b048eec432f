import { TestDatabases } from '@backstage/backend-test-utils';
import { API_V1, AUTH_AS, TEST_ENTITIES } from 'test-backend';
import { IN_MEMORY_RETRY_AFTER_SECONDS } from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { backendPerTest } from '../__testUtils__/backendPerTest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const checkoutSensor = {
  entityRef: 'component:default/checkout-api',
  environment: 'production',
  type: 'sensor',
};

/**
 * A key store that turns a create away (it rate limits) changed nothing: the caller is told at
 * once to come back after the store's wait, and no record is left. Only the in-memory store can
 * be told to refuse.
 */
describe.each(databases.eachSupportedId())(
  'creates the key store turns away on %s',
  databaseId => {
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore: 'in-memory',
      entities: TEST_ENTITIES,
    });
    const asAlice = (path: string) =>
      running.api.post(`${API_V1}${path}`).set('Authorization', AUTH_AS.alice);

    /** Each way of asking for a new key: `arrange` makes what it needs and returns the ask. */
    it.each([
      {
        asking: 'a new key',
        arrange: async () => () => asAlice('/keys').send(checkoutSensor),
      },
      {
        asking: 'a rotation',
        arrange: async () => {
          const made = await asAlice('/keys').send(checkoutSensor).expect(201);
          return () => asAlice(`/keys/${made.body.key.id}/rotate`);
        },
      },
    ])('answers $asking with 503 and Retry-After', async ({ arrange }) => {
      const store = running.backend.inMemory!;
      const ask = await arrange();
      const before = await running
        .knex('ingestion_keys')
        .select('id', 'status');
      store.injectFault({ operation: 'create', status: 429 });

      const refused = await ask();

      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe(
        String(IN_MEMORY_RETRY_AFTER_SECONDS),
      );
      expect(refused.body.error.message).toBe('injected 429 on create');
      expect(store.calls.get).toBe(0);
      expect(
        await running.knex('ingestion_keys').select('id', 'status'),
      ).toEqual(before);
    });
  },
);
