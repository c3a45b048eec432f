import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { API_V1, AUTH_AS, databasesAndKeyStores } from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/**
 * A common starting policy: users get every permission whose action is `read`, nothing else.
 * Services are allowed, as the permission framework allows them.
 */
const readAllPermissions = mockServices.permissions.mock({
  authorize: async (
    requests: AuthorizePermissionRequest[],
    options?: { credentials: BackstageCredentials },
  ) =>
    requests.map(({ permission }) => ({
      result:
        (options?.credentials.principal as { type: string }).type ===
          'service' || permission.attributes.action === 'read'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })) as any,
});

describe.each(databasesAndKeyStores(databases))(
  'a policy granting every read on %s with the %s key store',
  (databaseId, keyStore) => {
    it('lets users read key metadata, not reveal a key', async () => {
      const backend = await startTestIngestionKeysBackend({
        knex: await databases.init(databaseId),
        keyStore,
        permissions: readAllPermissions.factory,
        config: {
          serviceAccess: [
            {
              subject: mockCredentials.service().principal.subject,
              allow: ['create'],
            },
          ],
        },
      });
      try {
        const api = request(backend.server);
        const created = await api
          .post(`${API_V1}/keys`)
          .set('Authorization', AUTH_AS.service)
          .send({
            entityRef: 'component:default/checkout-api',
            environment: 'production',
            type: 'sensor',
          });
        expect(created.status).toBe(201);
        const key = `${API_V1}/keys/${created.body.key.id}`;

        const read = await api.get(key).set('Authorization', AUTH_AS.alice);
        const reveal = await api
          .post(`${key}/reveal`)
          .set('Authorization', AUTH_AS.alice);

        expect([read.status, reveal.status]).toEqual([200, 403]);
      } finally {
        await backend.stop();
      }
    });
  },
);
