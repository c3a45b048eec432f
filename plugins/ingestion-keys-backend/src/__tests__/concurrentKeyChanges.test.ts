import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  databasesAndKeyStores,
  TEST_USERS,
  API_V1,
  AUTH_AS,
} from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';
import { upstreamKeyNames } from '../__testUtils__/upstreamKeyNames';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const CHECKOUT = 'component:default/checkout-api';
/** Requests in flight at once on one key. */
const N = 12;

/**
 * Rotations and revocations of one key racing each other over HTTP: the database decides, so
 * there is never more than one successor, a loser hears a 409 that says why, and neither the
 * records, the key store nor the history is left half-changed.
 */
describe.each(databasesAndKeyStores(databases))(
  'concurrent changes to one key on %s with the %s key store',
  (databaseId, keyStore) => {
    let backend: Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;
    let api: ReturnType<typeof request>;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startTestIngestionKeysBackend({ knex, keyStore });
      // Slow store calls widen the window in which the racing requests overlap.
      backend.inMemory?.configure({ latencyMs: 20 });
      api = request(backend.server);
    });
    afterAll(() => backend.stop());

    /** How many keys the store had made when the race's own key was created. */
    let issuedBefore = 0;
    /** A fresh key of its own for each race, so races do not see each other's keys. */
    const createKey = async (integration: string) => {
      const res = await api
        .post(`${API_V1}/keys`)
        .set('Authorization', AUTH_AS.alice)
        .send({
          entityRef: CHECKOUT,
          environment: 'production',
          type: 'thirdParty',
          integration,
        });
      expect(res.status).toBe(201);
      issuedBefore = backend.issuedSecrets().length;
      return res.body.key as { id: string; name: string };
    };
    const rotate = (id: string) =>
      api
        .post(`${API_V1}/keys/${id}/rotate`)
        .set('Authorization', AUTH_AS.alice);
    // Owner and admin alternate, so the history must say which of them really revoked it.
    const revoke = (id: string, i: number) =>
      api
        .delete(`${API_V1}/keys/${id}`)
        .set('Authorization', i % 2 ? AUTH_AS.carol : AUTH_AS.alice);

    /** Every record of the key and its successors, oldest generation first. */
    const recordsOf = (key: { name: string }) =>
      knex('ingestion_keys')
        .where('name', 'like', `${key.name}%`)
        .orderBy('generation')
        .select('id', 'name', 'status', 'replaces_id', 'replaced_by_id');
    const upstreamOf = async (key: { name: string }) =>
      (await upstreamKeyNames({ knex, keyStore: backend.keyStore })).filter(
        name => name.startsWith(key.name),
      );
    const historyOf = async (id: string) => {
      const res = await api
        .get(`${API_V1}/keys/${id}/events`)
        .set('Authorization', AUTH_AS.alice);
      expect(res.status).toBe(200);
      return (res.body.items as Array<{ action: string; actor: string }>)
        .map(e => `${e.action} by ${e.actor}`)
        .sort();
    };
    const statusesOf = (responses: request.Response[]) =>
      responses.map(r => r.status).sort();

    /** A 409 that names the key raced for and says what happened to it. */
    const expectClearConflict = (
      res: request.Response,
      key: { name: string },
    ) => {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(key.name),
      });
      expect(res.body.error.message).toMatch(
        /already being created as the successor|already been rotated|already exists|no longer active|is revoked/,
      );
    };

    it(`makes one successor when ${N} rotations race; the others answer 409`, async () => {
      const key = await createKey('rotate-race');
      const responses = await Promise.all(
        Array.from({ length: N }, () => rotate(key.id)),
      );

      expect(statusesOf(responses)).toEqual([201, ...Array(N - 1).fill(409)]);
      const successor = responses.find(r => r.status === 201)!.body.key;
      expect(successor).toMatchObject({
        name: `${key.name}-r2`,
        status: 'active',
        replacesId: key.id,
      });
      for (const loser of responses.filter(r => r.status === 409)) {
        expectClearConflict(loser, key);
      }
      expect(await recordsOf(key)).toEqual([
        {
          id: key.id,
          name: key.name,
          status: 'rotating',
          replaces_id: null,
          replaced_by_id: successor.id,
        },
        {
          id: successor.id,
          name: successor.name,
          status: 'active',
          replaces_id: key.id,
          replaced_by_id: null,
        },
      ]);
      expect(await upstreamOf(key)).toEqual([key.name, successor.name]);
      // The losers were stopped by the database before they reached the key store.
      expect(backend.issuedSecrets().length - issuedBefore).toBe(1);
      expect(await historyOf(key.id)).toEqual([
        `created by ${TEST_USERS.alice}`,
        `rotated by ${TEST_USERS.alice}`,
      ]);
      expect(await historyOf(successor.id)).toEqual([
        `created by ${TEST_USERS.alice}`,
      ]);
    });

    it.each([1, 2, 3, 4])(
      `ends rotations racing revocations revoked, with at most the successor that won (round %i)`,
      async round => {
        const key = await createKey(`rotate-revoke-race-${round}`);
        const responses = await Promise.all(
          Array.from({ length: N }, (_, i) =>
            i % 2 ? revoke(key.id, i) : rotate(key.id),
          ),
        );
        const rotations = responses.filter((_, i) => i % 2 === 0);
        const revocations = responses.filter((_, i) => i % 2 === 1);

        // Revoking is idempotent: every revocation succeeds, whoever came first.
        expect(statusesOf(revocations)).toEqual(Array(N / 2).fill(200));
        const winners = rotations.filter(r => r.status === 201);
        expect(winners.length).toBeLessThanOrEqual(1);
        for (const loser of rotations.filter(r => r.status !== 201)) {
          expectClearConflict(loser, key);
        }

        const [old, ...successors] = await recordsOf(key);
        expect(old).toMatchObject({ id: key.id, status: 'revoked' });
        const successor = winners[0]?.body.key;
        // A rotation that won before the revocation keeps its successor; one that lost leaves none.
        expect(successors).toEqual(
          successor
            ? [
                {
                  id: successor.id,
                  name: `${key.name}-r2`,
                  status: 'active',
                  replaces_id: key.id,
                  replaced_by_id: null,
                },
              ]
            : [],
        );
        expect(old.replaced_by_id).toBe(successor?.id ?? null);
        expect(await upstreamOf(key)).toEqual(
          successor ? [successor.name] : [],
        );

        const history = await historyOf(key.id);
        expect(history.filter(e => e.startsWith('created'))).toHaveLength(1);
        expect(history.filter(e => e.startsWith('revoked'))).toHaveLength(1);
        expect(history.filter(e => e.startsWith('rotated'))).toHaveLength(
          winners.length,
        );
      },
    );

    it(`revokes a key once when ${N} revocations race`, async () => {
      const key = await createKey('revoke-race');
      const responses = await Promise.all(
        Array.from({ length: N }, (_, i) => revoke(key.id, i)),
      );

      expect(statusesOf(responses)).toEqual(Array(N).fill(200));
      const [record] = await knex('ingestion_keys')
        .where({ id: key.id })
        .select('status', 'revoked_by');
      expect(record.status).toBe('revoked');
      // Every answer tells the same story: the one revocation that took effect.
      for (const res of responses) {
        expect(res.body).toMatchObject({
          id: key.id,
          status: 'revoked',
          revokedBy: record.revoked_by,
        });
      }
      expect(await upstreamOf(key)).toEqual([]);
      expect(await historyOf(key.id)).toEqual([
        `created by ${TEST_USERS.alice}`,
        `revoked by ${record.revoked_by}`,
      ]);
    });
  },
);
