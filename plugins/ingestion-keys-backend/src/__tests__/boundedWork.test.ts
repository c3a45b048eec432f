import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import { databasesAndKeyStores, API_V1, AUTH_AS } from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';

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
