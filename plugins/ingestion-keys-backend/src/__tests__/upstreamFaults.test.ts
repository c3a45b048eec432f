import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  GIVE_UP_LOOKUP_MS,
  startTestIngestionKeysBackend,
  TestBackendOptions,
} from '../__testUtils__/startTestIngestionKeysBackend';
import { TEST_USERS } from '../__testUtils__/testCatalog';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const BASE = '/api/ingestion-keys/v1';
const alice = mockCredentials.user.header(TEST_USERS.alice);

/**
 * For a create that groundcover never answers. The call has to reach groundcover first (it is
 * committed there): long enough for that on a loaded machine, short enough to wait for.
 */
const UNANSWERED_CALL_MS = 1_000;
/** Longer than any test runs: the list shows no write until a test calls `catchUpList()`. */
const NEVER_MS = 60_000;

/**
 * The groundcover key store behind the real HTTP API while the contract server misbehaves:
 * callers get clear 502/503 answers, no key is duplicated upstream, no record is left without
 * its key, and a retry converges.
 */
describe.each(databases.eachSupportedId())(
  'upstream faults on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;
    let api: ReturnType<typeof request>;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    /** Lookups give up quickly here; calls have the backend's generous timeout unless given one. */
    const start = async (
      groundcover: TestBackendOptions['groundcover'] = {},
    ) => {
      backend = await startTestIngestionKeysBackend({
        knex,
        keyStore: 'groundcover',
        groundcover: { lookupTimeoutMs: GIVE_UP_LOOKUP_MS, ...groundcover },
      });
      api = request(backend.server);
    };
    beforeEach(async () => {
      knex = await databases.init(databaseId);
    });
    // Also fails the test if a secret showed up in the backend's logs, audit or failed answers.
    afterEach(() => backend.stop());

    const server = () => backend.groundcover!;
    const create = (integration = 'fluent-bit') =>
      api.post(`${BASE}/keys`).set('Authorization', alice).send({
        entityRef: 'component:default/checkout-api',
        environment: 'production',
        type: 'thirdParty',
        integration,
      });
    const liveRecords = () =>
      knex('ingestion_keys').whereNot('status', 'revoked');

    it.each([
      // A 500 on create may hide a key that was made: the store looks, and reports the doubt.
      [500, 503, 'outcome'],
      [503, 503, 'groundcover'],
      [429, 503, 'rate limit'],
    ])(
      'answers a create that groundcover refuses with %i as %i, writing nothing',
      async (upstream, expected, message) => {
        await start();
        server().injectFault({
          route: 'create',
          kind: 'status',
          status: upstream,
          message: 'boom',
        });
        const res = await create();
        expect(res.status).toBe(expected);
        expect(res.body.error.message).toContain(message);
        expect(await liveRecords()).toEqual([]);
        expect(server().keys()).toEqual([]);

        const retry = await create();
        expect(retry.status).toBe(201);
        expect(server().keys()).toHaveLength(1);
      },
    );

    it.each([
      ['timeout', { timeoutMs: UNANSWERED_CALL_MS }],
      ['drop', {}],
    ] as const)(
      'resolves a create whose answer was lost (%s) after groundcover made the key',
      async (kind, groundcover) => {
        await start(groundcover);
        // Listed at once: the lookup that follows finds the key on its first try.
        server().configure({ listLagMs: 0 });
        server().injectFault({ route: 'create', kind, afterCommit: true });
        const res = await create();
        expect(res.status).toBe(201);
        expect(res.body.secret).toBe(server().keys()[0].key);
        expect(server().keys()).toHaveLength(1);
        expect(server().calls.create).toBe(1);
        expect(await liveRecords()).toHaveLength(1);
      },
    );

    it('reports an unknown outcome as 503 while the list lags, then adopts on retry once it catches up', async () => {
      await start();
      server().configure({ listLagMs: NEVER_MS });
      server().injectFault({
        route: 'create',
        kind: 'status',
        status: 500,
        afterCommit: true,
      });
      const res = await create();
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(/unknown|retry/i);
      expect(await liveRecords()).toEqual([]);
      expect(server().keys()).toHaveLength(1);

      server().catchUpList();
      const retry = await create();
      expect(retry.status).toBe(201);
      expect(retry.body.secret).toBe(server().keys()[0].key);
      expect(server().keys()).toHaveLength(1);
      expect(await liveRecords()).toHaveLength(1);
    });

    it('keeps the old key active when a rotation fails upstream, and rotates on retry', async () => {
      await start();
      const { body } = await create();
      server().injectFault({ route: 'create', kind: 'status', status: 500 });
      const failed = await api
        .post(`${BASE}/keys/${body.key.id}/rotate`)
        .set('Authorization', alice);
      expect(failed.status).toBe(503);
      const records = await liveRecords();
      expect(records.map(r => r.status)).toEqual(['active']);
      expect(server().keys()).toHaveLength(1);

      const rotated = await api
        .post(`${BASE}/keys/${body.key.id}/rotate`)
        .set('Authorization', alice);
      expect(rotated.status).toBe(201);
      expect(server().keys()).toHaveLength(2);
    });

    it('keeps a key whose revocation failed upstream, and revokes it on retry', async () => {
      await start();
      const { body } = await create();
      server().injectFault({ route: 'delete', kind: 'status', status: 503 });
      const failed = await api
        .delete(`${BASE}/keys/${body.key.id}`)
        .set('Authorization', alice);
      expect(failed.status).toBe(503);
      expect((await liveRecords()).map(r => r.status)).toEqual(['active']);
      expect(server().keys()).toHaveLength(1);

      const revoked = await api
        .delete(`${BASE}/keys/${body.key.id}`)
        .set('Authorization', alice);
      expect(revoked.status).toBe(200);
      expect(server().keys()).toEqual([]);
      expect(await liveRecords()).toEqual([]);
    });

    it('treats a key already deleted upstream as revoked', async () => {
      await start();
      const { body } = await create();
      await request(server().baseUrl)
        .delete('/api/rbac/ingestion-keys/delete')
        .set('Authorization', `Bearer ${server().apiKey}`)
        .set('X-Backend-Id', server().backendId)
        .send({ name: body.key.name });
      const revoked = await api
        .delete(`${BASE}/keys/${body.key.id}`)
        .set('Authorization', alice);
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
    });

    it('answers 502 naming the cause when groundcover rejects the API key', async () => {
      await start();
      server().injectFault({
        route: 'create',
        kind: 'status',
        status: 401,
        message: 'bad key',
      });
      const res = await create();
      expect(res.status).toBe(502);
      expect(res.body.error.message).toContain(
        'groundcover rejected the API key',
      );
      expect(await liveRecords()).toEqual([]);
    });
  },
);
