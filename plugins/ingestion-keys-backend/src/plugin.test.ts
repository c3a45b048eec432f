import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  databasesAndKeyStores,
  TestKeyStoreId,
  TEST_ENTITIES,
  TEST_USERS,
  AUTH_AS,
} from 'test-backend';
import { startTestIngestionKeysBackend } from './__testUtils__/startTestIngestionKeysBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const CHECKOUT = 'component:default/checkout-api';
const SEARCH = 'component:default/search-api';
const RETIRING = 'component:default/retiring-api';

/** alice's team owns it until a test takes it out of the catalog. */
const retiringEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'retiring-api', namespace: 'default', uid: 'retiring-uid' },
  spec: {
    type: 'service',
    lifecycle: 'deprecated',
    owner: 'group:default/team-checkout',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
};
const BASE = '/api/ingestion-keys';

const SECRET_PATTERN: Record<TestKeyStoreId, RegExp> = {
  embedded: /^ikbs_[A-Za-z0-9_-]{43}$/,
  'in-memory': /^imks_[A-Za-z0-9_-]{43}$/,
};

const matrix = databasesAndKeyStores(databases);

/** Config allows it reveal and nothing else. */
const REVEALING_SERVICE = 'plugin:scaffolder';
/** Named nowhere in config. */
const UNNAMED_SERVICE = 'plugin:search';
const serviceHeader = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'ingestion-keys',
  });

describe.each(matrix)(
  'ingestion-keys API on %s with the %s key store',
  (databaseId, keyStore) => {
    let backend: Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;
    let api: ReturnType<typeof request>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startTestIngestionKeysBackend({
        knex,
        keyStore,
        entities: [...TEST_ENTITIES, retiringEntity],
        config: {
          serviceAccess: [
            { subject: 'external:test-service', allow: ['create', 'admin'] },
            { subject: REVEALING_SERVICE, allow: ['reveal'] },
          ],
        },
      });
      api = request(backend.server);
    });

    afterAll(async () => {
      await backend.stop();
    });

    /** The API as one caller, e.g. `callAs(AUTH_AS.alice).get('/v1/keys', { entityRef })`. */
    const callAs = (auth: string) => ({
      get: (path: string, query: object = {}) =>
        api.get(`${BASE}${path}`).query(query).set('Authorization', auth),
      post: (path: string) =>
        api.post(`${BASE}${path}`).set('Authorization', auth),
      delete: (path: string) =>
        api.delete(`${BASE}${path}`).set('Authorization', auth),
    });
    const createKey = (auth: string, body: object) =>
      callAs(auth).post('/v1/keys').send(body);

    it('answers /health without credentials', async () => {
      const res = await api.get(`${BASE}/health`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('serves the settings', async () => {
      const res = await callAs(AUTH_AS.bob).get(`/v1/settings`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        environments: ['production', 'staging'],
        types: ['sensor', 'rum', 'thirdParty'],
        provider: keyStore,
        namingPattern: '{name}-{environment}-{type}-{integration}',
      });
    });

    it('lets an owner run a key through its whole life', async () => {
      const created = await createKey(AUTH_AS.alice, {
        entityRef: CHECKOUT,
        environment: 'production',
        type: 'sensor',
        remoteConfig: true,
      });
      expect(created.status).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const { key, secret } = created.body;
      expect(key).toMatchObject({
        name: 'checkout-api-production-sensor',
        type: 'sensor',
        remoteConfig: true,
        entityRef: CHECKOUT,
        environment: 'production',
        status: 'active',
        origin: 'manual',
        provider: keyStore,
        ownerRef: 'group:default/team-checkout',
        createdBy: TEST_USERS.alice,
      });
      expect(secret).toMatch(SECRET_PATTERN[keyStore]);

      const duplicate = await createKey(AUTH_AS.alice, {
        entityRef: CHECKOUT,
        environment: 'production',
        type: 'sensor',
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.message).toContain(
        'checkout-api-production-sensor',
      );

      const listed = await callAs(AUTH_AS.alice).get(`/v1/keys`, {
        entityRef: CHECKOUT,
      });
      expect(listed.status).toBe(200);
      expect(listed.body.totalCount).toBe(1);
      expect(JSON.stringify(listed.body)).not.toContain(secret);

      const revealed = await callAs(AUTH_AS.alice).post(
        `/v1/keys/${key.id}/reveal`,
      );
      expect(revealed.status).toBe(200);
      expect(revealed.body).toEqual({ id: key.id, name: key.name, secret });

      const rotated = await callAs(AUTH_AS.alice).post(
        `/v1/keys/${key.id}/rotate`,
      );
      expect(rotated.status).toBe(201);
      expect(rotated.body.key).toMatchObject({
        name: 'checkout-api-production-sensor-r2',
        status: 'active',
        replacesId: key.id,
        remoteConfig: true,
      });
      expect(rotated.body.secret).not.toBe(secret);

      const old = await callAs(AUTH_AS.alice).get(`/v1/keys/${key.id}`);
      expect(old.body).toMatchObject({
        status: 'rotating',
        replacedById: rotated.body.key.id,
      });
      // The old key stays valid until it is revoked.
      const stillThere = await callAs(AUTH_AS.alice).post(
        `/v1/keys/${key.id}/reveal`,
      );
      expect(stillThere.body.secret).toBe(secret);

      const rotatedTwice = await callAs(AUTH_AS.alice).post(
        `/v1/keys/${key.id}/rotate`,
      );
      expect(rotatedTwice.status).toBe(409);

      const revoked = await callAs(AUTH_AS.alice).delete(`/v1/keys/${key.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        status: 'revoked',
        revokedBy: TEST_USERS.alice,
      });
      expect(revoked.body.revokedAt).toEqual(expect.any(String));

      const revealRevoked = await callAs(AUTH_AS.alice).post(
        `/v1/keys/${key.id}/reveal`,
      );
      expect(revealRevoked.status).toBe(409);

      const active = await callAs(AUTH_AS.alice).get(`/v1/keys`, {
        entityRef: CHECKOUT,
      });
      expect(active.body.items.map((k: any) => k.name)).toEqual([
        'checkout-api-production-sensor-r2',
      ]);
      const history = await callAs(AUTH_AS.alice).get(`/v1/keys`, {
        entityRef: CHECKOUT,
        includeRevoked: 'true',
      });
      expect(history.body.totalCount).toBe(2);

      const events = await callAs(AUTH_AS.alice).get(
        `/v1/keys/${key.id}/events`,
      );
      expect(events.status).toBe(200);
      expect(events.body.items.map((e: any) => e.action).sort()).toEqual([
        'created',
        'revealed',
        'revealed',
        'revoked',
        'rotated',
      ]);
      const entityEvents = await callAs(AUTH_AS.bob).get(`/v1/events`, {
        entityRef: CHECKOUT,
      });
      expect(entityEvents.status).toBe(200);
      expect(entityEvents.body.items).toHaveLength(6);
      expect(entityEvents.body.items[0]).toMatchObject({
        action: 'revoked',
        actor: TEST_USERS.alice,
        keyName: 'checkout-api-production-sensor',
      });

      // The revoked key's identity is free again; the same name comes back.
      const again = await createKey(AUTH_AS.alice, {
        entityRef: CHECKOUT,
        environment: 'staging',
        type: 'thirdParty',
        integration: 'otel-collector',
      });
      expect(again.status).toBe(201);
      expect(again.body.key.name).toBe(
        'checkout-api-staging-thirdparty-otel-collector',
      );
    });

    describe('for a non-owner', () => {
      let keyId: string;
      beforeAll(async () => {
        const res = await createKey(AUTH_AS.alice, {
          entityRef: CHECKOUT,
          environment: 'staging',
          type: 'rum',
        });
        keyId = res.body.key.id;
      });

      it('shows metadata and history', async () => {
        const list = await callAs(AUTH_AS.bob).get(`/v1/keys`, {
          entityRef: CHECKOUT,
        });
        expect(list.status).toBe(200);
        expect(list.body.items.some((k: any) => k.id === keyId)).toBe(true);
        const events = await callAs(AUTH_AS.bob).get(
          `/v1/keys/${keyId}/events`,
        );
        expect(events.status).toBe(200);
      });

      it.each([
        ['post', 'reveal'],
        ['post', 'rotate'],
        ['delete', ''],
      ] as const)('refuses %s %s with 403', async (method, action) => {
        const res = await api[method](
          `${BASE}/v1/keys/${keyId}${action ? `/${action}` : ''}`,
        ).set('Authorization', AUTH_AS.bob);
        expect(res.status).toBe(403);
        expect(res.body.error.name).toBe('NotAllowedError');
        expect(res.body.error.message).toContain(CHECKOUT);
        expect(JSON.stringify(res.body)).not.toMatch(/ikbs_|gcik_/);
      });

      it('refuses to create keys with 403 and writes nothing', async () => {
        const res = await createKey(AUTH_AS.bob, {
          entityRef: CHECKOUT,
          environment: 'production',
          type: 'rum',
        });
        expect(res.status).toBe(403);
        const list = await callAs(AUTH_AS.alice).get(`/v1/keys`, {
          entityRef: CHECKOUT,
          type: 'rum',
          environment: 'production',
        });
        expect(list.body.totalCount).toBe(0);
      });

      it('keeps the org-wide list for admins', async () => {
        const denied = await callAs(AUTH_AS.alice).get(`/v1/keys`);
        expect(denied.status).toBe(403);
        const allowed = await callAs(AUTH_AS.carol).get(`/v1/keys`);
        expect(allowed.status).toBe(200);
        expect(allowed.body.totalCount).toBeGreaterThan(0);
      });
    });

    it('lets an admin act on any key', async () => {
      const created = await createKey(AUTH_AS.carol, {
        entityRef: SEARCH,
        environment: 'production',
        type: 'rum',
      });
      expect(created.status).toBe(201);
      expect(created.body.key.createdBy).toBe(TEST_USERS.carol);
      const revealed = await callAs(AUTH_AS.carol).post(
        `/v1/keys/${created.body.key.id}/reveal`,
      );
      expect(revealed.body.secret).toBe(created.body.secret);
      const revoked = await callAs(AUTH_AS.carol).delete(
        `/v1/keys/${created.body.key.id}`,
      );
      expect(revoked.status).toBe(200);
    });

    it('leaves the keys of an entity gone from the catalog to admins', async () => {
      const created = await createKey(AUTH_AS.alice, {
        entityRef: RETIRING,
        environment: 'production',
        type: 'sensor',
      });
      expect(created.status).toBe(201);
      const id = created.body.key.id;
      await backend.catalog.removeEntityByUid('retiring-uid', {
        credentials: mockCredentials.service(),
      });

      const owner = await callAs(AUTH_AS.alice).post(`/v1/keys/${id}/reveal`);
      expect(owner.status).toBe(404);
      expect(owner.body.error.message).toBe(`No ingestion key with id ${id}`);

      const revealed = await callAs(AUTH_AS.carol).post(
        `/v1/keys/${id}/reveal`,
      );
      expect(revealed.status).toBe(200);
      expect(revealed.body.secret).toBe(created.body.secret);
      const revoked = await callAs(AUTH_AS.carol).delete(`/v1/keys/${id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        status: 'revoked',
        revokedBy: TEST_USERS.carol,
      });
    });

    it('reports provisioning per entity to readers and org-wide to admins', async () => {
      const entity = await callAs(AUTH_AS.alice).get(
        `/v1/provisioning/status`,
        { entityRef: SEARCH },
      );
      expect(entity.status).toBe(200);
      expect(entity.body).toEqual({
        entityRef: SEARCH,
        entries: [],
        invalidEntries: [],
        undesired: [],
      });
      const denied = await callAs(AUTH_AS.bob).get(`/v1/provisioning/status`);
      expect(denied.status).toBe(403);
      const overview = await callAs(AUTH_AS.carol).get(
        `/v1/provisioning/status`,
      );
      expect(overview.status).toBe(200);
      expect(overview.body.undesired).toEqual([]);
      const missing = await callAs(AUTH_AS.alice).get(
        `/v1/provisioning/status`,
        { entityRef: 'component:default/nope' },
      );
      expect(missing.status).toBe(404);
    });

    it('lets admins and services config allows it, not owners, start a provisioning run', async () => {
      const owner = await callAs(AUTH_AS.alice).post(`/v1/provisioning/run`);
      expect(owner.status).toBe(403);
      for (const auth of [AUTH_AS.carol, AUTH_AS.service]) {
        const started = await callAs(auth).post(`/v1/provisioning/run`);
        expect(started.status).toBe(202);
        expect(started.body).toEqual({ status: 'triggered' });
      }
      expect(
        backend.output.auditRecords.some(r => r.includes('provisioning-run')),
      ).toBe(true);
    });

    it('serves backend services, recording them as the creator', async () => {
      const created = await createKey(AUTH_AS.service, {
        entityRef: SEARCH,
        environment: 'staging',
        type: 'sensor',
      });
      expect(created.status).toBe(201);
      expect(created.body.key.createdBy).toBe('external:test-service');
      const byService = await callAs(AUTH_AS.service).get(`/v1/keys`, {
        createdBy: 'external:test-service',
      });
      expect(byService.status).toBe(200);
      expect(byService.body.items.map((k: { id: string }) => k.id)).toEqual([
        created.body.key.id,
      ]);
    });

    describe('for backend services', () => {
      let keyId: string;
      beforeAll(async () => {
        const created = await createKey(AUTH_AS.alice, {
          entityRef: CHECKOUT,
          environment: 'staging',
          type: 'thirdParty',
          integration: 'service-access',
        });
        keyId = created.body.key.id;
      });

      // route, its operation, what a service config does not name gets, one allowed only reveal
      it.each([
        ['GET /v1/keys?entityRef', 'read', 200, 200],
        ['GET /v1/keys/:id', 'read', 200, 200],
        ['GET /v1/keys/:id/events', 'read', 200, 200],
        ['GET /v1/events?entityRef', 'read', 200, 200],
        ['GET /v1/provisioning/status?entityRef', 'read', 200, 200],
        ['POST /v1/keys', 'create', 403, 403],
        ['POST /v1/keys/:id/reveal', 'reveal', 403, 200],
        ['POST /v1/keys/:id/rotate', 'rotate', 403, 403],
        ['DELETE /v1/keys/:id', 'revoke', 403, 403],
        ['GET /v1/keys', 'admin', 403, 403],
        ['GET /v1/provisioning/status', 'admin', 403, 403],
        ['POST /v1/provisioning/run', 'admin', 403, 403],
        ['GET /v1/targets?entityRef', 'read', 200, 200],
        // Allowed, a reveal-only service's target is then checked: no kind is installed here.
        ['POST /v1/keys/:id/targets', 'reveal', 403, 400],
        ['GET /v1/targets/failed', 'admin', 403, 403],
        ['POST /v1/delivery/run', 'admin', 403, 403],
      ] as const)(
        '%s (%s) answers a service config does not name %i, one allowed only reveal %i',
        async (route, operation, unnamed, revealing) => {
          const [method, template] = route.split(' ');
          const [path, query] = template.replace(':id', keyId).split('?');
          const send = (subject: string) => {
            const auth = serviceHeader(subject);
            if (method === 'GET') {
              return callAs(auth).get(
                path,
                query ? { entityRef: CHECKOUT } : {},
              );
            }
            if (method === 'DELETE') {
              return callAs(auth).delete(path);
            }
            return callAs(auth)
              .post(path)
              .send(
                path.endsWith('/targets')
                  ? { target: 'kubernetes:prod-eu/groundcover' }
                  : {
                      entityRef: CHECKOUT,
                      environment: 'production',
                      type: 'thirdParty',
                      integration: 'by-service',
                    },
              );
          };
          for (const [subject, status] of [
            [UNNAMED_SERVICE, unnamed],
            [REVEALING_SERVICE, revealing],
          ] as const) {
            const res = await send(subject);
            // Exactly the refusals name the config that would allow them.
            const namesConfig = new RegExp(
              `add \\{ subject: '${subject}', allow: \\['${operation}'\\] \\} to ingestionKeys\\.serviceAccess$`,
            ).test(res.body.error?.message ?? '');
            expect({ status: res.status, namesConfig }).toEqual({
              status,
              namesConfig: status === 403,
            });
          }
        },
      );
    });

    it('answers 404 for entities it cannot find and keys that do not exist', async () => {
      const res = await createKey(AUTH_AS.alice, {
        entityRef: 'component:default/nope',
        environment: 'production',
        type: 'sensor',
      });
      expect(res.status).toBe(404);
      const missing = await callAs(AUTH_AS.alice).post(
        `/v1/keys/3f1c8f2e-4a7b-4f0e-9a55-0d1f4b8c2e11/reveal`,
      );
      expect(missing.status).toBe(404);
    });

    it.each([
      [{ environment: 'production', type: 'sensor' }, 'entityRef'],
      [
        { entityRef: 'not a ref', environment: 'production', type: 'sensor' },
        'entityRef',
      ],
      [
        { entityRef: CHECKOUT, environment: 'moon', type: 'sensor' },
        'environment "moon"',
      ],
      [{ entityRef: CHECKOUT, environment: 'production', type: 'apm' }, 'type'],
      [
        {
          entityRef: CHECKOUT,
          environment: 'production',
          type: 'rum',
          remoteConfig: true,
        },
        'remoteConfig',
      ],
      [
        {
          entityRef: CHECKOUT,
          environment: 'production',
          type: 'rum',
          integration: 'Bad_Name',
        },
        'integration',
      ],
      [
        {
          entityRef: CHECKOUT,
          environment: 'production',
          type: 'rum',
          secret: 'x',
        },
        'unknown body field secret',
      ],
    ])('answers 400 naming the bad field for %j', async (body, field) => {
      const res = await createKey(AUTH_AS.alice, body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
    });

    it('answers 400 for malformed JSON and bad query parameters', async () => {
      const malformed = await callAs(AUTH_AS.alice)
        .post(`/v1/keys`)
        .set('Content-Type', 'application/json')
        .send('{"entityRef": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toBe(
        'The request body must be valid JSON',
      );
      const badQuery = await callAs(AUTH_AS.alice).get(`/v1/keys`, {
        entityRef: CHECKOUT,
        limit: '0',
        orderBy: 'secret',
      });
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.error.message).toMatch(
        /orderBy .*limit must be between 1 and 1000/,
      );
      const badId = await callAs(AUTH_AS.alice).post(
        `/v1/keys/..%2F..%2Fetc/reveal`,
      );
      expect(badId.status).toBe(400);
    });

    it('sorts, filters and pages the list', async () => {
      for (const [environment, type, integration] of [
        ['production', 'thirdParty', 'fluent-bit'],
        ['production', 'thirdParty', 'firehose'],
        ['production', 'sensor', undefined],
      ] as const) {
        const res = await createKey(AUTH_AS.bob, {
          entityRef: SEARCH,
          environment,
          type,
          integration,
        });
        expect(res.status).toBe(201);
      }
      const byName = await callAs(AUTH_AS.bob).get(`/v1/keys`, {
        entityRef: SEARCH,
        orderBy: 'name',
        order: 'desc',
        limit: '2',
      });
      const names: string[] = byName.body.items.map((k: any) => k.name);
      expect(names).toHaveLength(2);
      expect([...names].sort().reverse()).toEqual(names);
      expect(byName.body.totalCount).toBeGreaterThanOrEqual(3);
      const page2 = await callAs(AUTH_AS.bob).get(`/v1/keys`, {
        entityRef: SEARCH,
        orderBy: 'name',
        order: 'desc',
        limit: '2',
        offset: '2',
      });
      expect(page2.body.items[0].name < names[1]).toBe(true);
      const thirdParty = await callAs(AUTH_AS.bob).get(`/v1/keys`, {
        entityRef: SEARCH,
        type: 'thirdParty',
        environment: 'production',
      });
      expect(
        thirdParty.body.items.map((k: any) => k.integration).sort(),
      ).toEqual(['firehose', 'fluent-bit']);
      const byCreator = await callAs(AUTH_AS.carol).get(`/v1/keys`, {
        createdBy: TEST_USERS.bob,
        orderBy: 'type',
      });
      expect(byCreator.status).toBe(200);
      // bob made exactly the three keys above; by type, sensor sorts before thirdParty.
      expect(
        byCreator.body.items.map((k: any) => [k.createdBy, k.type]),
      ).toEqual([
        [TEST_USERS.bob, 'sensor'],
        [TEST_USERS.bob, 'thirdParty'],
        [TEST_USERS.bob, 'thirdParty'],
      ]);
    });
  },
);
