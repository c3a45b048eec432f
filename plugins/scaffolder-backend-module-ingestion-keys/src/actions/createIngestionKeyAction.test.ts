import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import { API_V1, AUTH_AS, TEST_USERS } from 'test-backend';
import { startScaffolderTestBackend } from '../__testUtils__/scaffolderTestBackend';
import { createIngestionKeyAction } from './createIngestionKeyAction';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const CHECKOUT_API = 'component:default/checkout-api';

describe.each(databases.eachSupportedId())(
  'ingestion-keys:create on %s',
  databaseId => {
    let running: Awaited<ReturnType<typeof startScaffolderTestBackend>>;
    let action: ReturnType<typeof createIngestionKeyAction>;

    beforeEach(async () => {
      running = await startScaffolderTestBackend(
        await databases.init(databaseId),
      );
      action = createIngestionKeyAction({
        client: running.client,
        appBaseUrl: 'https://portal.example.com/',
      });
    });

    // Fails if a value the key store issued is in a task's log or output.
    afterEach(() => running.backend.stop());

    const input = {
      entityRef: CHECKOUT_API,
      environment: 'production',
      type: 'thirdParty',
      integration: 'otel-collector',
    };

    it("creates the key as the task's user and outputs id, name and link, never the value", async () => {
      const outputs = await running.runAction(action, input);
      expect(outputs).toEqual({
        keyId: expect.any(String),
        keyName: 'checkout-api-production-thirdparty-otel-collector',
        status: 'active',
        created: true,
        link: 'https://portal.example.com/catalog/default/component/checkout-api/ingestion-keys',
      });

      const key = await request(running.backend.server)
        .get(`${API_V1}/keys/${outputs.keyId}`)
        .set('Authorization', AUTH_AS.alice)
        .expect(200);
      expect(key.body).toMatchObject({
        createdBy: TEST_USERS.alice,
        ownerRef: 'group:default/team-checkout',
      });
      // The key has a value, and the task's output above does not hold it.
      const { body } = await request(running.backend.server)
        .post(`${API_V1}/keys/${outputs.keyId}/reveal`)
        .set('Authorization', AUTH_AS.alice)
        .expect(200);
      expect(running.backend.issuedSecrets()).toEqual([body.secret]);
      expect(JSON.stringify(outputs)).not.toContain(body.secret);
      expect(running.backend.output.logLines.join('\n')).toContain(
        'Created ingestion key checkout-api-production-thirdparty-otel-collector for component:default/checkout-api',
      );
    });

    it('returns the existing key when run again, and makes no second one', async () => {
      const first = await running.runAction(action, input);
      const second = await running.runAction(action, input);
      expect(second).toEqual({ ...first, created: false });
      expect(running.backend.issuedSecrets()).toHaveLength(1);

      // After a rotation the successor stands for the identity, not the rotated key.
      const rotated = await request(running.backend.server)
        .post(`${API_V1}/keys/${first.keyId}/rotate`)
        .set('Authorization', AUTH_AS.alice)
        .expect(201);
      const third = await running.runAction(action, input);
      expect(third).toMatchObject({
        keyId: rotated.body.key.id,
        keyName: 'checkout-api-production-thirdparty-otel-collector-r2',
        created: false,
      });
    });

    it('finds the key again when the template writes the entity ref in a short form', async () => {
      const short = { ...input, entityRef: 'component:checkout-api' };
      const first = await running.runAction(action, short);
      const second = await running.runAction(action, short);
      expect(second).toEqual({ ...first, created: false });
      expect(running.backend.issuedSecrets()).toHaveLength(1);
    });

    it('makes one key when two tasks race', async () => {
      const outputs = await Promise.all(
        [1, 2, 3].map(() => running.runAction(action, input)),
      );
      expect(new Set(outputs.map(o => o.keyId)).size).toBe(1);
      expect(outputs.filter(o => o.created)).toHaveLength(1);
      expect(running.backend.issuedSecrets()).toHaveLength(1);
    });

    it("is refused on another team's entity with the API's answer", async () => {
      await expect(
        running.runAction(action, {
          ...input,
          entityRef: 'component:default/search-api',
        }),
      ).rejects.toThrow(
        'You are not allowed to create ingestion keys of component:default/search-api; ask one of its owners',
      );
      expect(running.backend.issuedSecrets()).toEqual([]);
    });

    it("passes the API's input checks on", async () => {
      await expect(
        running.runAction(action, {
          ...input,
          type: 'rum',
          integration: undefined,
          remoteConfig: true,
        } as any),
      ).rejects.toThrow(
        'remoteConfig is only available for sensor keys; RUM and Third Party keys are write-only',
      );
    });
  },
);
