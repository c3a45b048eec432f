import { TestDatabases } from '@backstage/backend-test-utils';
import { API_V1, AUTH_AS, LEDGER_API, TEST_ENTITIES } from 'test-backend';
import {
  backendPerTest,
  runProvisioning,
} from '../__testUtils__/backendPerTest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const CHECKOUT = 'component:default/checkout-api';
const SEARCH = 'component:default/search-api';
const LEDGER = 'component:default/ledger-api';

/** ledger-api (alice's team) declares one key too many kinds: an entry provisioning skips. */
const LEDGER_WITH_BAD_ENTRY = {
  ...LEDGER_API,
  metadata: {
    ...LEDGER_API.metadata,
    annotations: {
      'ingestion-keys/provision': 'production:sensor, production:apm',
    },
  },
};

/**
 * "My teams' keys": the keys and provisioning problems of the entities the caller's teams own,
 * with the teams taken from the caller's token on the server.
 */
describe.each(databases.eachSupportedId())(
  "the caller's teams' keys on %s",
  databaseId => {
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore: 'in-memory',
      entities: [...TEST_ENTITIES, LEDGER_WITH_BAD_ENTRY],
    });
    const as = (auth: string) => ({
      get: (path: string, query: object = {}) =>
        running.api
          .get(`${API_V1}${path}`)
          .query(query)
          .set('Authorization', auth),
      create: (body: object) =>
        running.api
          .post(`${API_V1}/keys`)
          .set('Authorization', auth)
          .send(body)
          .expect(201),
    });

    it('lists the keys of the entities the caller’s teams own, whoever made them, with the filters', async () => {
      await as(AUTH_AS.alice).create({
        entityRef: CHECKOUT,
        environment: 'production',
        type: 'sensor',
      });
      // An admin's key on alice's team's entity is still her team's key.
      await as(AUTH_AS.carol).create({
        entityRef: LEDGER,
        environment: 'staging',
        type: 'rum',
      });
      await as(AUTH_AS.bob).create({
        entityRef: SEARCH,
        environment: 'production',
        type: 'sensor',
      });

      const alices = await as(AUTH_AS.alice).get('/my/keys', {
        orderBy: 'name',
      });
      expect(alices.status).toBe(200);
      expect(alices.body.totalCount).toBe(2);
      expect(alices.body.items.map((k: any) => k.name)).toEqual([
        'checkout-api-production-sensor',
        'ledger-api-staging-rum',
      ]);

      const bobs = await as(AUTH_AS.bob).get('/my/keys');
      expect(bobs.body.items.map((k: any) => k.entityRef)).toEqual([SEARCH]);

      const rum = await as(AUTH_AS.alice).get('/my/keys', { type: 'rum' });
      expect(rum.body.items.map((k: any) => k.name)).toEqual([
        'ledger-api-staging-rum',
      ]);
      // Naming another team's entity narrows to nothing rather than widening the list.
      const other = await as(AUTH_AS.alice).get('/my/keys', {
        entityRef: SEARCH,
      });
      expect(other.body).toEqual({ items: [], totalCount: 0 });
      const paged = await as(AUTH_AS.alice).get('/my/keys', {
        orderBy: 'name',
        limit: '1',
        offset: '1',
      });
      expect(paged.body.totalCount).toBe(2);
      expect(paged.body.items.map((k: any) => k.name)).toEqual([
        'ledger-api-staging-rum',
      ]);

      // carol's team owns nothing: an admin's own list is empty too.
      const carols = await as(AUTH_AS.carol).get('/my/keys');
      expect(carols.body).toEqual({ items: [], totalCount: 0 });
    });

    it('reports the provisioning problems of the caller’s teams’ entities only', async () => {
      await runProvisioning(running);
      const alices = await as(AUTH_AS.alice).get('/my/provisioning/problems');
      expect(alices.status).toBe(200);
      expect(alices.body).toEqual({
        failed: [],
        invalidEntries: [
          {
            entityRef: LEDGER,
            entry: 'production:apm',
            reason: expect.stringContaining('apm'),
          },
        ],
        undesired: [],
      });
      const bobs = await as(AUTH_AS.bob).get('/my/provisioning/problems');
      expect(bobs.body).toEqual({
        failed: [],
        invalidEntries: [],
        undesired: [],
      });
    });

    it.each(['/my/keys', '/my/provisioning/problems'])(
      '%s is for signed-in users: 403 for a service, 401 without credentials, 400 for unknown parameters',
      async path => {
        const service = await as(AUTH_AS.service).get(path);
        expect(service.status).toBe(403);
        expect(service.body.error.message).toMatch(/for signed-in users/);
        const anonymous = await running.api.get(`${API_V1}${path}`);
        expect(anonymous.status).toBe(401);
        const bad = await as(AUTH_AS.alice).get(path, { teams: 'x' });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(/unknown query field teams/);
      },
    );
  },
);
