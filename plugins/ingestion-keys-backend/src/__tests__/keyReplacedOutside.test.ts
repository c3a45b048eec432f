import { TestDatabases } from '@backstage/backend-test-utils';
import { keyTagsFor } from '@ingestion-keys/plugin-ingestion-keys-common';
import { API_V1, AUTH_AS, TEST_ENTITIES } from 'test-backend';
import { backendPerTest } from '../__testUtils__/backendPerTest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const checkoutSensor = {
  entityRef: 'component:default/checkout-api',
  environment: 'production',
  type: 'sensor',
} as const;

/**
 * Someone deleted the portal's key in the key store and made one of the same name: reveal and
 * revoke refuse it with 409, never handing out its value nor deleting it, and mark the record. Only the in-memory
 * store can be changed behind the portal's back (the embedded one lives in its own database).
 */
describe.each(databases.eachSupportedId())(
  'a key replaced outside the portal on %s',
  databaseId => {
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore: 'in-memory',
      entities: TEST_ENTITIES,
    });
    const asAlice = (method: 'post' | 'delete', path: string) =>
      running.api[method](`${API_V1}${path}`).set(
        'Authorization',
        AUTH_AS.alice,
      );

    it.each([
      {
        by: 'a key another tool manages',
        tags: keyTagsFor(checkoutSensor, 'terraform'),
      },
      {
        by: 'a key with our tags that the portal did not make',
        tags: keyTagsFor(checkoutSensor, 'backstage'),
      },
    ])(
      'refuses to reveal or revoke it when replaced by $by',
      async ({ tags }) => {
        const store = running.backend.inMemory!;
        const made = await asAlice('post', '/keys')
          .send(checkoutSensor)
          .expect(201);
        const { id, name } = made.body.key;
        await store.delete(name);
        const foreign = await store.create({
          name,
          type: 'sensor',
          remoteConfig: false,
          tags,
        });

        for (const [method, path] of [
          ['post', `/keys/${id}/reveal`],
          ['delete', `/keys/${id}`],
        ] as const) {
          const refused = await asAlice(method, path);
          expect(refused.status).toBe(409);
          expect(refused.body.error.message).toContain(
            `Key ${name} was replaced outside the portal`,
          );
          expect(JSON.stringify(refused.body)).not.toContain(foreign.secret);
        }
        expect(store.keys()).toEqual([foreign]);
        // The record stays, marked for the entity's tab and the org page.
        const { body: key } = await running.api
          .get(`${API_V1}/keys/${id}`)
          .set('Authorization', AUTH_AS.alice)
          .expect(200);
        expect(key).toMatchObject({
          status: 'active',
          replacedOutsideAt: expect.any(String),
        });
      },
    );
  },
);
