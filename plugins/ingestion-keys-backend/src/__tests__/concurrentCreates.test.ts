import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { databasesAndKeyStores, TEST_USERS } from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';
import { upstreamKeyNames } from '../__testUtils__/upstreamKeyNames';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const matrix = databasesAndKeyStores(databases);

describe.each(matrix)(
  '50 concurrent creates on %s with the %s key store',
  (databaseId, keyStore) => {
    it('make exactly one key; the others answer 409 naming it', async () => {
      const knex = await databases.init(databaseId);
      const backend = await startTestIngestionKeysBackend({ knex, keyStore });
      try {
        backend.inMemory?.configure({ latencyMs: 20 });
        const api = request(backend.server);
        const responses = await Promise.all(
          Array.from({ length: 50 }, () =>
            api
              .post('/api/ingestion-keys/v1/keys')
              .set(
                'Authorization',
                mockCredentials.user.header(TEST_USERS.alice),
              )
              .send({
                entityRef: 'component:default/checkout-api',
                environment: 'production',
                type: 'thirdParty',
                integration: 'otel-collector',
              }),
          ),
        );
        const statuses = responses.map(r => r.status);
        expect(statuses.filter(s => s === 201)).toHaveLength(1);
        expect(statuses.filter(s => s === 409)).toHaveLength(49);
        for (const res of responses.filter(r => r.status === 409)) {
          expect(res.body.error.message).toContain(
            'checkout-api-production-thirdparty-otel-collector',
          );
        }
        const rows = await knex('ingestion_keys').select('status');
        expect(rows).toEqual([{ status: 'active' }]);
        expect(
          await upstreamKeyNames({ knex, keyStore: backend.keyStore }),
        ).toHaveLength(1);
        // Every key the store made, even one it was asked to delete again.
        expect(backend.issuedSecrets()).toHaveLength(1);
      } finally {
        await backend.stop();
      }
    });
  },
);
