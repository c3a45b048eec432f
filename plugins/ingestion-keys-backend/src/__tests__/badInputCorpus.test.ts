import request from 'supertest';
import { Knex } from 'knex';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { databasesAndKeyStores } from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';
import {
  answerLeaks,
  Caller,
  CALLER_NAMES,
  CorpusRequest,
  labelOf,
  sendCorpusRequest,
} from '../__testUtils__/badInputCorpus/corpusRequest';
import {
  badCredentialRequests,
  malformedRequests,
} from '../__testUtils__/badInputCorpus/malformedRequests';
import {
  borderlinePairs,
  KEY_STORE,
} from '../__testUtils__/badInputCorpus/borderlineOutcome';
import { readsAtTheLimits } from '../__testUtils__/badInputCorpus/readsAtTheLimits';
import { changesAtTheLimits } from '../__testUtils__/badInputCorpus/changesAtTheLimits';
import { validButRefused } from '../__testUtils__/badInputCorpus/validButRefused';
import {
  CORPUS_ENTITIES,
  ENVIRONMENTS,
} from '../__testUtils__/badInputCorpus/limitValues';
import {
  CorpusFixture,
  createCorpusFixture,
} from '../__testUtils__/badInputCorpus/corpusFixture';
import {
  changesBetween,
  STORE_KEYS,
  snapshotStores,
  tablesCreatedByMigrations,
  tablesOf,
  TableChanges,
} from '../__testUtils__/badInputCorpus/storeSnapshot';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** Sends requests 25 at a time; the answers come back in the order of `items`. */
async function inBatches<T, R>(items: T[], send: (item: T) => Promise<R>) {
  const answers: R[] = [];
  for (let i = 0; i < items.length; i += 25) {
    answers.push(...(await Promise.all(items.slice(i, i + 25).map(send))));
  }
  return answers;
}

/**
 * Bad credentials answer 401 before any input is read; Node refuses a URL longer than its 16 kB
 * header limit with 431 before the plugin sees it; the request validator answers 400 to the rest.
 */
const expectedStatus = (req: CorpusRequest) => {
  if (req.auth !== undefined) {
    return 401;
  }
  return req.path.length > 16_000 ? 431 : 400;
};

/** What a created key's name is compared with: nothing when the outcome names no pattern. */
const nameMatching = (pattern?: RegExp) =>
  pattern ? expect.stringMatching(pattern) : undefined;

/**
 * Three corpora on every database and key store, each sent as an owner, a non-owner, an admin and
 * a service: malformed requests and requests refused after validation must leave every table and
 * the key store as they were; requests accepted at the limits must write exactly their records.
 */
describe.each(databasesAndKeyStores(databases))(
  'bad and borderline input on %s with the %s key store',
  (databaseId, keyStore) => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;
    let api: ReturnType<typeof request>;
    let fixture: CorpusFixture;
    const snapshot = () => snapshotStores(knex, backend.keyStore);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startTestIngestionKeysBackend({
        knex,
        keyStore,
        entities: CORPUS_ENTITIES,
        config: {
          environments: ENVIRONMENTS,
          // The corpus's service may do everything a service can be allowed.
          serviceAccess: [
            {
              subject: mockCredentials.service().principal.subject,
              allow: ['create', 'reveal', 'rotate', 'revoke', 'admin'],
            },
          ],
        },
      });
      api = request(backend.server);
      fixture = await createCorpusFixture(api);
    });
    afterAll(() => backend.stop());

    it('compares every table of the plugin database, found in the database', async () => {
      const tables = await tablesOf(knex);
      expect(tables).toEqual(
        expect.arrayContaining([
          ...tablesCreatedByMigrations(),
          'knex_migrations',
          'knex_migrations_lock',
        ]),
      );
      expect(Object.keys(await snapshot())).toEqual(
        backend.keyStore ? [...tables, STORE_KEYS] : tables,
      );
    });

    it('answers every malformed request 400 (401 to bad credentials) without a stack trace, and writes nothing', async () => {
      const sent: Array<{ req: CorpusRequest; caller: Caller }> = [
        ...badCredentialRequests(fixture.active.id).map(req => ({
          req,
          caller: 'owner' as const,
        })),
        ...CALLER_NAMES.flatMap(caller =>
          malformedRequests(fixture.active.id).map(req => ({ req, caller })),
        ),
      ];
      expect(sent.length).toBeGreaterThanOrEqual(3500);
      const before = await snapshot();

      const problems = (
        await inBatches(sent, async ({ req, caller }) => {
          const res = await sendCorpusRequest(api, req, caller);
          const message = res.body?.error?.message ?? '';
          return [
            ...(res.status !== expectedStatus(req)
              ? [`${res.status}, not ${expectedStatus(req)},`]
              : []),
            ...(res.status === 400 &&
            !/Invalid request|must be|body/.test(message)
              ? [`unclear 400 "${message}"`]
              : []),
            ...answerLeaks(res.text, fixture.secrets),
          ].map(problem => `${problem} for ${labelOf(req, caller)}`);
        })
      ).flat();

      expect(problems).toEqual([]);
      expect(changesBetween(before, await snapshot())).toEqual({});
    });

    const borderline = () =>
      borderlinePairs([
        ...readsAtTheLimits(fixture),
        ...changesAtTheLimits(fixture),
        ...validButRefused(fixture),
      ]);

    it('refuses input that passes validation, or misses a limit by one, with the exact 4xx naming the fix, and writes nothing', async () => {
      const { refused } = borderline();
      expect(refused.length).toBeGreaterThan(200);
      const before = await snapshot();

      const answers = await inBatches(
        refused,
        async ({ what, caller, request: req }) => {
          const res = await sendCorpusRequest(api, req, caller);
          return {
            what,
            caller,
            status: res.status,
            message: res.body?.error?.message,
            leaks: answerLeaks(res.text, fixture.secrets),
          };
        },
      );

      expect(answers).toEqual(
        refused.map(({ what, caller, outcome }) => ({
          what,
          caller,
          status: outcome.status,
          message: expect.stringContaining(outcome.message),
          leaks: [],
        })),
      );
      expect(changesBetween(before, await snapshot())).toEqual({});
    });

    it('answers valid input at the limits with the exact 2xx, and each change writes exactly its records', async () => {
      const { accepted } = borderline();
      expect(accepted.length).toBeGreaterThan(100);
      const storeTable = keyStore === 'embedded' ? 'embedded_keys' : STORE_KEYS;
      const inStoreTerms = (writes: TableChanges = {}) =>
        Object.fromEntries(
          Object.entries(writes).map(([table, rows]) => [
            table === KEY_STORE ? storeTable : table,
            rows,
          ]),
        );

      // One at a time, so that each change in the stores is that of one request.
      const answers = [];
      for (const { what, caller, request: req, outcome } of accepted) {
        const before = await snapshot();
        const res = await sendCorpusRequest(api, req, caller);
        const { listed, name } = outcome;
        answers.push({
          what,
          caller,
          status: res.status,
          listed: listed && {
            ids: res.body.items?.map((key: { id: string }) => key.id),
            totalCount: res.body.totalCount,
          },
          name: name && res.body.key?.name,
          writes: changesBetween(before, await snapshot()),
          halfWritten: await knex('ingestion_keys').where('status', 'pending'),
          leaks: answerLeaks(res.text, []),
        });
      }

      expect(answers).toEqual(
        accepted.map(({ what, caller, outcome }) => {
          const { status, listed, name, writes } = outcome;
          return {
            what,
            caller,
            status,
            listed,
            name: nameMatching(name),
            writes: inStoreTerms(writes),
            halfWritten: [],
            leaks: [],
          };
        }),
      );
    });
  },
);
