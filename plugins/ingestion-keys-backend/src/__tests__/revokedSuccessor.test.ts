import { TestDatabases } from '@backstage/backend-test-utils';
import {
  API_V1,
  AUTH_AS,
  databasesAndKeyStores,
  LEDGER_API,
  TEST_ENTITIES,
} from 'test-backend';
import {
  backendPerTest,
  runProvisioning,
} from '../__testUtils__/backendPerTest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const LEDGER = 'component:default/ledger-api';
const KEY = 'ledger-api-production-sensor';

/**
 * Revoking a rotation's successor gives the key it was to replace back its place: that key is
 * active again, can be rotated again, and provisioning of its identity keeps working.
 */
describe.each(databasesAndKeyStores(databases))(
  'a revoked rotation successor on %s with the %s key store',
  (databaseId, keyStore) => {
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore,
      entities: [...TEST_ENTITIES, LEDGER_API],
    });
    const asAlice = (method: 'get' | 'post' | 'delete', path: string) =>
      running.api[method](`${API_V1}${path}`).set(
        'Authorization',
        AUTH_AS.alice,
      );
    const keysNamed = (prefix: string) =>
      running
        .knex('ingestion_keys')
        .where('name', 'like', `${prefix}%`)
        .orderBy(['name', 'status'])
        .select('name', 'status');

    it('makes the key it was to replace active again, for rotation and provisioning', async () => {
      expect(await runProvisioning(running)).toMatchObject({
        keysCreated: 2,
        failed: [],
      });
      const { id } = await running
        .knex('ingestion_keys')
        .where({ name: KEY })
        .first('id');

      const successor = await asAlice('post', `/keys/${id}/rotate`).expect(201);
      await asAlice('delete', `/keys/${successor.body.key.id}`).expect(200);
      const predecessor = await asAlice('get', `/keys/${id}`).expect(200);
      expect(predecessor.body).toMatchObject({ status: 'active' });
      expect(predecessor.body.replacedById).toBeUndefined();

      expect(await runProvisioning(running)).toMatchObject({
        keysCreated: 0,
        keysAdopted: 0,
        failed: [],
      });
      const again = await asAlice('post', `/keys/${id}/rotate`);
      expect(again.status).toBe(201);
      expect(await runProvisioning(running)).toMatchObject({
        keysCreated: 0,
        failed: [],
      });
      expect(await keysNamed(KEY)).toEqual([
        { name: KEY, status: 'rotating' },
        { name: `${KEY}-r2`, status: 'active' },
        { name: `${KEY}-r2`, status: 'revoked' },
      ]);
      const status = await asAlice('get', '/provisioning/status').query({
        entityRef: LEDGER,
      });
      expect(
        status.body.entries.map((e: { entry: string; state: string }) => [
          e.entry,
          e.state,
        ]),
      ).toEqual([
        ['production:sensor', 'provisioned'],
        ['staging:thirdParty:otel-collector', 'provisioned'],
      ]);
    });
  },
);
