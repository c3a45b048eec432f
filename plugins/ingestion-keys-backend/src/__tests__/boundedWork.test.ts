import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import { databasesAndKeyStores, API_V1, AUTH_AS } from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';
import {
  backendPerTest,
  runProvisioning,
} from '../__testUtils__/backendPerTest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const CHECKOUT = 'component:default/checkout-api';

/** `maxLiveKeysPerEntity` bounds the keys one entity can pile up through the API. */
describe.each(databasesAndKeyStores(databases))(
  'bounded work on %s with the %s key store',
  (databaseId, keyStore) => {
    it('refuses a key beyond maxLiveKeysPerEntity until one is revoked, and still rotates', async () => {
      const backend = await startTestIngestionKeysBackend({
        knex: await databases.init(databaseId),
        keyStore,
        config: { maxLiveKeysPerEntity: 2 },
      });
      try {
        const api = request(backend.server);
        const create = (type: string) =>
          api
            .post(`${API_V1}/keys`)
            .set('Authorization', AUTH_AS.alice)
            .send({ entityRef: CHECKOUT, environment: 'staging', type });
        const made = [await create('sensor'), await create('rum')];
        expect(made.map(res => res.status)).toEqual([201, 201]);

        const refused = await create('thirdParty');
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toBe(
          `${CHECKOUT} already has 2 live ingestion keys, the most ingestionKeys.maxLiveKeysPerEntity allows; revoke one first`,
        );

        // A rotation replaces a key: it is not refused at the limit.
        const rotated = await api
          .post(`${API_V1}/keys/${made[0].body.key.id}/rotate`)
          .set('Authorization', AUTH_AS.alice);
        expect(rotated.status).toBe(201);

        await api
          .delete(`${API_V1}/keys/${made[1].body.key.id}`)
          .set('Authorization', AUTH_AS.alice)
          .expect(200);
        expect((await create('thirdParty')).status).toBe(201);
      } finally {
        await backend.stop();
      }
    });
  },
);

/** `provisioning.concurrency` bounds the calls a run makes to the key store at once. */
describe.each(databases.eachSupportedId())(
  'bounded provisioning on %s',
  databaseId => {
    const entities = Array.from({ length: 5 }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${i}`,
        namespace: 'default',
        annotations: {
          'ingestion-keys/provision':
            'production:sensor, staging:sensor, production:rum, staging:thirdParty:otel',
        },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
    }));
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore: 'in-memory',
      entities,
      config: { provisioning: { concurrency: 3 } },
    });

    it('keeps at most that many creates at the key store at once while the run makes every key', async () => {
      const store = running.backend.inMemory!;
      const create = store.create.bind(store);
      let inFlight = 0;
      let most = 0;
      jest.spyOn(store, 'create').mockImplementation(async asked => {
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          // A store that takes a moment, so that creates left unbounded would pile up here.
          await new Promise(resolve => setTimeout(resolve, 10));
          return await create(asked);
        } finally {
          inFlight--;
        }
      });

      const run = await runProvisioning(running);

      expect(run).toMatchObject({ keysCreated: 20, failed: [] });
      expect(most).toBe(3);
    });
  },
);
