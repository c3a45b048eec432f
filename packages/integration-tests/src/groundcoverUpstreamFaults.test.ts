import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import ingestionKeysPlugin from '@ingestion-keys/plugin-ingestion-keys-backend';
import {
  API_V1,
  AUTH_AS,
  GIVE_UP_LOOKUP_MS,
  startTestIngestionKeysBackend,
  waitUntil,
} from 'test-backend';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';
import {
  GroundcoverTestKeyStoreOptions,
  startGroundcoverTestKeyStore,
} from './__testUtils__/startGroundcoverTestKeyStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/**
 * For a create that groundcover never answers. The call has to reach groundcover first (it is
 * committed there): long enough for that on a loaded machine, short enough to wait for.
 */
const UNANSWERED_CALL_MS = 1_000;
/** Longer than any test runs: the list shows no write until a test calls `catchUpList()`. */
const NEVER_MS = 60_000;
/** Older than any pending timeout the config allows. */
const LONG_AGO_MS = 24 * 60 * 60_000;

/**
 * The groundcover key store behind the plugin's real HTTP API while the contract server
 * misbehaves: callers get clear 502/503 answers, no key is duplicated upstream, no record is left
 * without its key, a retry converges, and neither a key value nor the API key shows up in the
 * backend's logs, audit records or failed answers (checked when each test's backend stops).
 */
describe.each(databases.eachSupportedId())(
  'upstream faults on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;
    let api: ReturnType<typeof request>;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    let groundcover: GroundcoverContractServer;

    /** Lookups give up quickly here; calls have a generous timeout unless given one. */
    const start = async (options: GroundcoverTestKeyStoreOptions = {}) => {
      const { server, keyStore } = await startGroundcoverTestKeyStore({
        lookupTimeoutMs: GIVE_UP_LOOKUP_MS,
        ...options,
      });
      groundcover = server;
      backend = await startTestIngestionKeysBackend({
        plugin: ingestionKeysPlugin,
        knex,
        keyStore,
      });
      api = request(backend.server);
    };
    beforeEach(async () => {
      knex = await databases.init(databaseId);
    });
    // Also fails the test if a secret showed up in the backend's logs, audit or failed answers.
    afterEach(() => backend.stop());

    const create = (integration = 'fluent-bit') =>
      api.post(`${API_V1}/keys`).set('Authorization', AUTH_AS.alice).send({
        entityRef: 'component:default/checkout-api',
        environment: 'production',
        type: 'thirdParty',
        integration,
      });
    const liveRecords = () =>
      knex('ingestion_keys').whereNot('status', 'revoked');

    it('answers a create that groundcover rate limits as 503 with Retry-After, writing nothing', async () => {
      await start();
      // groundcover echoing the API key must not carry it into any output.
      groundcover.injectFault({
        route: 'create',
        kind: 'status',
        status: 429,
        message: `boom ${groundcover.apiKey}`,
      });
      const res = await create();
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain('rate limit');
      expect(res.headers['retry-after']).toBe('5');
      expect(await liveRecords()).toEqual([]);
      expect(groundcover.keys()).toEqual([]);

      const retry = await create();
      expect(retry.status).toBe(201);
      expect(groundcover.keys()).toHaveLength(1);
    });

    it.each([
      // A 500 on create may hide a key that was made: the store looks, and reports the doubt.
      [500, 'outcome'],
      [503, 'groundcover'],
    ])(
      'keeps the reservation of a create that groundcover answers %i, for provisioning to settle',
      async (upstream, message) => {
        await start();
        groundcover.injectFault({
          route: 'create',
          kind: 'status',
          status: upstream,
          message: `boom ${groundcover.apiKey}`,
        });
        const res = await create();
        expect(res.status).toBe(503);
        expect(res.body.error.message).toContain(message);
        expect(res.body.error.message).toContain('is being settled');
        expect(res.headers['retry-after']).toBeUndefined();
        expect((await liveRecords()).map(r => r.status)).toEqual(['pending']);
        expect(groundcover.keys()).toEqual([]);
        // Asking again while it is settled makes no key.
        expect((await create()).status).toBe(409);
        expect(groundcover.keys()).toEqual([]);
      },
    );

    it.each([
      ['timeout', { timeoutMs: UNANSWERED_CALL_MS }],
      ['drop', {}],
    ] as const)(
      'resolves a create whose answer was lost (%s) after groundcover made the key',
      async (kind, options) => {
        await start(options);
        // Listed at once: the lookup that follows finds the key on its first try.
        groundcover.configure({ listLagMs: 0 });
        groundcover.injectFault({ route: 'create', kind, afterCommit: true });
        const res = await create();
        expect(res.status).toBe(201);
        expect(res.body.secret).toBe(groundcover.keys()[0].key);
        expect(groundcover.keys()).toHaveLength(1);
        expect(groundcover.calls.create).toBe(1);
        expect(await liveRecords()).toHaveLength(1);
      },
    );

    it('reports an unknown outcome as 503 while the list lags, and provisioning adopts the key once it catches up', async () => {
      await start();
      groundcover.configure({ listLagMs: NEVER_MS });
      groundcover.injectFault({
        route: 'create',
        kind: 'status',
        status: 500,
        afterCommit: true,
      });
      const res = await create();
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(/unknown.*being settled/i);
      const [pending] = await liveRecords();
      expect(pending).toMatchObject({ status: 'pending' });
      expect(groundcover.keys()).toHaveLength(1);

      // Long after, when the list shows the key, provisioning settles the reservation.
      groundcover.catchUpList();
      await knex('ingestion_keys')
        .where({ id: pending.id })
        .update({ created_at: new Date(Date.now() - LONG_AGO_MS) });
      await api
        .post(`${API_V1}/provisioning/run`)
        .set('Authorization', AUTH_AS.carol)
        .expect(202);
      await waitUntil(
        'provisioning has adopted the key',
        async () =>
          (await liveRecords()).some(r => r.status === 'active') || undefined,
      );
      const revealed = await api
        .post(`${API_V1}/keys/${pending.id}/reveal`)
        .set('Authorization', AUTH_AS.alice);
      expect(revealed.status).toBe(200);
      expect(revealed.body.secret).toBe(groundcover.keys()[0].key);
      expect(groundcover.keys()).toHaveLength(1);
      expect(await liveRecords()).toHaveLength(1);
    });

    it('keeps the old key active when groundcover turns a rotation away, and rotates on retry', async () => {
      await start();
      const { body } = await create();
      groundcover.injectFault({ route: 'create', kind: 'status', status: 429 });
      const failed = await api
        .post(`${API_V1}/keys/${body.key.id}/rotate`)
        .set('Authorization', AUTH_AS.alice);
      expect(failed.status).toBe(503);
      const records = await liveRecords();
      expect(records.map(r => r.status)).toEqual(['active']);
      expect(groundcover.keys()).toHaveLength(1);

      const rotated = await api
        .post(`${API_V1}/keys/${body.key.id}/rotate`)
        .set('Authorization', AUTH_AS.alice);
      expect(rotated.status).toBe(201);
      expect(groundcover.keys()).toHaveLength(2);
    });

    it('keeps a key whose revocation failed upstream, and revokes it on retry', async () => {
      await start();
      const { body } = await create();
      groundcover.injectFault({ route: 'delete', kind: 'status', status: 503 });
      const failed = await api
        .delete(`${API_V1}/keys/${body.key.id}`)
        .set('Authorization', AUTH_AS.alice);
      expect(failed.status).toBe(503);
      expect((await liveRecords()).map(r => r.status)).toEqual(['active']);
      expect(groundcover.keys()).toHaveLength(1);

      const revoked = await api
        .delete(`${API_V1}/keys/${body.key.id}`)
        .set('Authorization', AUTH_AS.alice);
      expect(revoked.status).toBe(200);
      expect(groundcover.keys()).toEqual([]);
      expect(await liveRecords()).toEqual([]);
    });

    it('treats a key already deleted upstream as revoked', async () => {
      await start();
      const { body } = await create();
      await request(groundcover.baseUrl)
        .delete('/api/rbac/ingestion-keys/delete')
        .set('Authorization', `Bearer ${groundcover.apiKey}`)
        .set('X-Backend-Id', groundcover.backendId)
        .send({ name: body.key.name });
      const revoked = await api
        .delete(`${API_V1}/keys/${body.key.id}`)
        .set('Authorization', AUTH_AS.alice);
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
    });

    it('answers 502 naming the cause when groundcover rejects the API key', async () => {
      await start();
      groundcover.injectFault({
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
