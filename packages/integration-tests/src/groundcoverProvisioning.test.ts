import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import ingestionKeysPlugin from '@ingestion-keys/plugin-ingestion-keys-backend';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';
import {
  API_V1,
  AUTH_AS,
  LEDGER_API,
  startTestIngestionKeysBackend,
  TEST_ENTITIES,
  waitUntil,
} from 'test-backend';
import { startGroundcoverTestKeyStore } from './__testUtils__/startGroundcoverTestKeyStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** Longer than any test runs: the list shows no write until a test calls `catchUpList()`. */
const NEVER_MS = 60_000;
/** Older than any pending timeout the config allows. */
const LONG_AGO_MS = 24 * 60 * 60_000;
/**
 * The store looks once for a key its create could not confirm (refused or unanswered): the list
 * lags anyway, and each such create then costs exactly one lookup.
 */
const LOOK_ONCE_MS = 0;

/** ledger-api, declaring three keys. */
const LEDGER_API_THREE_KEYS: typeof LEDGER_API = {
  ...LEDGER_API,
  metadata: {
    ...LEDGER_API.metadata,
    annotations: {
      'ingestion-keys/provision':
        'production:sensor, staging:sensor, staging:thirdParty:otel-collector',
    },
  },
};

interface RunReport {
  startedAt: string;
  keysCreated: number;
  keysAdopted: number;
  failed: Array<{ entry: string; reason: string }>;
  storeCalls: { list: number; create: number };
}

/**
 * Provisioning runs, started through the admin route, on the real groundcover client against the
 * contract server: each declared key is made there exactly once, whatever the server refuses,
 * loses or does not list yet. Each test's backend checks at stop that no key value or API key
 * showed up in its logs, audit records or failed answers.
 */
describe.each(databases.eachSupportedId())(
  'provisioning on groundcover on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;
    let api: ReturnType<typeof request>;
    let groundcover: GroundcoverContractServer;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    const start = async (entity: typeof LEDGER_API) => {
      knex = await databases.init(databaseId);
      const { server, keyStore } = await startGroundcoverTestKeyStore({
        lookupTimeoutMs: LOOK_ONCE_MS,
      });
      groundcover = server;
      backend = await startTestIngestionKeysBackend({
        plugin: ingestionKeysPlugin,
        knex,
        keyStore,
        entities: [...TEST_ENTITIES, entity],
      });
      api = request(backend.server);
    };
    afterEach(() => backend.stop());

    const lastRun = async (): Promise<RunReport | undefined> => {
      const res = await api
        .get(`${API_V1}/provisioning/status`)
        .set('Authorization', AUTH_AS.carol);
      expect(res.status).toBe(200);
      return res.body.lastRun;
    };
    /** Starts a run through the admin route and returns its report once it has finished. */
    const runProvisioning = async (): Promise<RunReport> => {
      const previous = await lastRun();
      const res = await api
        .post(`${API_V1}/provisioning/run`)
        .set('Authorization', AUTH_AS.carol);
      expect(res.status).toBe(202);
      return waitUntil(
        'the triggered provisioning run has finished',
        async () => {
          const run = await lastRun();
          return run &&
            (!previous ||
              Date.parse(run.startedAt) > Date.parse(previous.startedAt))
            ? run
            : undefined;
        },
      );
    };
    /** Time passes: the reservations runs kept pending for an unknown outcome are stale now. */
    const ageReservations = () =>
      knex('ingestion_keys')
        .where({ status: 'pending' })
        .update({ created_at: new Date(Date.now() - LONG_AGO_MS) });
    const keyNamesThere = () =>
      groundcover
        .keys()
        .map(k => k.name)
        .sort();

    it('creates each declared key once, one list call per run, through refused creates and a lagging list', async () => {
      await start(LEDGER_API_THREE_KEYS);
      // No run's list shows a key an earlier run made: only the plugin's records keep it from
      // making that key again.
      groundcover.configure({ listLagMs: NEVER_MS });
      groundcover.injectFault({ route: 'create', kind: 'status', status: 429 });
      groundcover.injectFault({ route: 'create', kind: 'status', status: 503 });

      // Calls per run: its one list, the creates, and a lookup for each create whose outcome is
      // unknown (the 503's); a 429 turned the create away, so nothing is looked up for it. The
      // 503's reservation is kept until it is stale, then settled: dropped, and made anew.
      const expectedRuns = [
        {
          created: 1,
          failed: [/rate limiting/, /temporarily unavailable \(503/],
          calls: { list: 2, create: 3 },
        },
        { created: 1, failed: [], calls: { list: 1, create: 1 } },
        { stale: true, created: 1, failed: [], calls: { list: 1, create: 1 } },
        { created: 0, failed: [], calls: { list: 1, create: 0 } },
      ];
      for (const expected of expectedRuns) {
        if (expected.stale) {
          await ageReservations();
        }
        groundcover.resetCalls();
        const run = await runProvisioning();
        expect(run).toMatchObject({
          keysCreated: expected.created,
          keysAdopted: 0,
          storeCalls: { list: 1 },
        });
        const reasons = run.failed.map(f => f.reason);
        expect(reasons).toHaveLength(expected.failed.length);
        expect(reasons).toEqual(
          expect.arrayContaining(
            expected.failed.map(reason => expect.stringMatching(reason)),
          ),
        );
        expect(groundcover.calls).toMatchObject(expected.calls);
      }
      expect(keyNamesThere()).toEqual([
        'ledger-api-production-sensor',
        'ledger-api-staging-sensor',
        'ledger-api-staging-thirdparty-otel-collector',
      ]);
    });

    it('adopts the keys an earlier version tagged with bare labels, beside tags groundcover added, after an upgrade', async () => {
      await start(LEDGER_API);
      // What versions before the tag namespace wrote, and a tag groundcover sets on its own.
      const earlierTags = (environment: string, type: string) => [
        'managed-by:backstage',
        'entity:component:default/ledger-api',
        `environment:${environment}`,
        `type:${type}`,
      ];
      groundcover.seedKey({
        name: 'ledger-api-production-sensor',
        type: 'sensor',
        remoteConfig: true,
        tags: [...earlierTags('production', 'sensor'), 'remoteConfig:true'],
      });
      groundcover.seedKey({
        name: 'ledger-api-staging-thirdparty-otel-collector',
        type: 'thirdParty',
        tags: [
          ...earlierTags('staging', 'thirdParty'),
          'integration:otel-collector',
        ],
      });

      const run = await runProvisioning();
      expect(run).toMatchObject({ keysCreated: 0, keysAdopted: 2, failed: [] });
      expect(groundcover.calls.create).toBe(0);
    });

    it('adopts a key whose create answer was lost after groundcover made it, instead of making it again', async () => {
      await start(LEDGER_API);
      groundcover.configure({ listLagMs: NEVER_MS });
      groundcover.injectFault({
        route: 'create',
        kind: 'drop',
        afterCommit: true,
      });

      const first = await runProvisioning();
      expect(first).toMatchObject({ keysCreated: 1, keysAdopted: 0 });
      expect(first.failed).toEqual([
        expect.objectContaining({ reason: expect.stringMatching(/unknown/) }),
      ]);
      expect(keyNamesThere()).toEqual([
        'ledger-api-production-sensor',
        'ledger-api-staging-thirdparty-otel-collector',
      ]);

      // Long after, when the list shows the key, the kept reservation is settled.
      groundcover.catchUpList();
      await ageReservations();
      const second = await runProvisioning();
      expect(second).toMatchObject({
        keysCreated: 0,
        keysAdopted: 1,
        failed: [],
      });
      expect(groundcover.calls.create).toBe(2);
      expect(keyNamesThere()).toEqual([
        'ledger-api-production-sensor',
        'ledger-api-staging-thirdparty-otel-collector',
      ]);
    });
  },
);
