import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import { databasesAndKeyStores, API_V1, AUTH_AS } from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';
import { upstreamKeyNames } from '../__testUtils__/upstreamKeyNames';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const checkout = (key: object) => ({
  entityRef: 'component:default/checkout-api',
  ...key,
});

/**
 * Names follow `ingestionKeys.naming.pattern` end to end: the settings route tells the UI the
 * pattern, and the keys the API creates, and their successors, carry names made from it.
 */
describe.each(databasesAndKeyStores(databases))(
  'a custom naming pattern on %s with the %s key store',
  (databaseId, keyStore) => {
    it.each([
      {
        pattern: 'bs-{namespace}-{name}-{environment}-{type}-{integration}',
        keys: [
          [
            checkout({ environment: 'production', type: 'sensor' }),
            'bs-default-checkout-api-production-sensor',
          ],
          [
            checkout({ environment: 'staging', type: 'rum' }),
            'bs-default-checkout-api-staging-rum',
          ],
          // 60 characters: its successor's -r2 still fits the 63 allowed without a hash.
          [
            checkout({
              environment: 'production',
              type: 'thirdParty',
              integration: 'otel-collector',
            }),
            'bs-default-checkout-api-production-thirdparty-otel-collector',
          ],
        ],
      },
      {
        // Without the environment two keys would read alike: a hash of the identity parts them.
        pattern: '{kind}-{name}-{type}',
        keys: [
          [
            checkout({ environment: 'production', type: 'sensor' }),
            /^component-checkout-api-sensor-[a-z0-9]{6}$/,
          ],
          [
            checkout({ environment: 'staging', type: 'sensor' }),
            /^component-checkout-api-sensor-[a-z0-9]{6}$/,
          ],
        ],
      },
    ] as const)('names keys by $pattern', async ({ pattern, keys }) => {
      const knex = await databases.init(databaseId);
      const backend = await startTestIngestionKeysBackend({
        knex,
        keyStore,
        config: { naming: { pattern } },
      });
      try {
        const api = request(backend.server);
        const settings = await api
          .get(`${API_V1}/settings`)
          .set('Authorization', AUTH_AS.alice);
        expect(settings.status).toBe(200);
        expect(settings.body.namingPattern).toBe(pattern);

        const names: string[] = [];
        for (const [body, expected] of keys) {
          const res = await api
            .post(`${API_V1}/keys`)
            .set('Authorization', AUTH_AS.alice)
            .send(body);
          expect({ body, status: res.status }).toEqual({ body, status: 201 });
          expect(res.body.key.name).toMatch(expected);
          names.push(res.body.key.name);
        }
        expect(new Set(names).size).toBe(names.length);

        const last = await knex('ingestion_keys')
          .where('name', names[names.length - 1])
          .first('id');
        const rotated = await api
          .post(`${API_V1}/keys/${last.id}/rotate`)
          .set('Authorization', AUTH_AS.alice);
        expect(rotated.status).toBe(201);
        const successor = `${names[names.length - 1]}-r2`;
        expect(rotated.body.key.name).toBe(successor);

        // The key store holds the keys under the very names the API answered with.
        expect(
          await upstreamKeyNames({ knex, keyStore: backend.keyStore }),
        ).toEqual([...names, successor].sort());
      } finally {
        await backend.stop();
      }
    });
  },
);
