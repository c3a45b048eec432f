import { TestDatabases } from '@backstage/backend-test-utils';
import { API_V1, AUTH_AS, TEST_ENTITIES } from 'test-backend';
import { IN_MEMORY_RETRY_AFTER_SECONDS } from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import {
  backendPerTest,
  runProvisioning,
} from '../__testUtils__/backendPerTest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const checkoutSensor = {
  entityRef: 'component:default/checkout-api',
  environment: 'production',
  type: 'sensor',
};

/** Older than any pending timeout the config allows. */
const LONG_AGO_MS = 24 * 60 * 60_000;

/**
 * Creates the key store fails. One it turns away (it rate limits) changed nothing: the caller is
 * told at once to come back after the store's wait, and no record is left. One whose outcome
 * stays unknown (the store failed in a way that may hide a key it made) keeps its reservation:
 * the caller is told it is being settled, and provisioning adopts the key by its tags or drops
 * the reservation. Only the in-memory store can be told to fail.
 */
describe.each(databases.eachSupportedId())(
  'creates the key store fails on %s',
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

    const create = () => asAlice('/keys').send(checkoutSensor);
    const records = () =>
      running.knex('ingestion_keys').select('id', 'status', 'provider_key_id');

    it.each([
      { made: true, settled: 'adopted' },
      { made: false, settled: 'dropped' },
    ])(
      'keeps the reservation of a manual create and has provisioning settle it: made $made, $settled',
      async ({ made }) => {
        const store = running.backend.inMemory!;
        store.injectFault({
          operation: 'create',
          status: 500,
          afterCommit: made,
        });

        const unknown = await create();
        expect(unknown.status).toBe(503);
        expect(unknown.body.error.message).toMatch(/is being settled/);
        const [pending] = await records();
        expect(pending).toMatchObject({ status: 'pending' });
        // Asking again while it is settled makes no second key.
        expect((await create()).status).toBe(409);

        // The creator is long gone, and the store's list has long shown what it made.
        store.catchUpList();
        await running
          .knex('ingestion_keys')
          .where({ id: pending.id })
          .update({ created_at: new Date(Date.now() - LONG_AGO_MS) });
        await runProvisioning(running);

        const keys = store.keys();
        expect(await records()).toEqual(
          made
            ? [
                {
                  id: pending.id,
                  status: 'active',
                  provider_key_id: keys[0].providerKeyId,
                },
              ]
            : [],
        );
        expect(keys).toHaveLength(made ? 1 : 0);
      },
    );
  },
);
