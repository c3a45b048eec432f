import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  databasesAndKeyStores,
  LEDGER_API,
  TEST_ENTITIES,
  API_V1,
  AUTH_AS,
  waitUntil,
} from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
/** Longer than the backend takes to start, so a run that did not wait for it would show. */
const INITIAL_DELAY_MS = 3000;

/**
 * The provisioning task as production runs it: scheduled by Backstage's real scheduler from
 * `provisioning.schedule`, with no one calling the run route or the reconciler.
 */
describe.each(databasesAndKeyStores(databases))(
  'scheduled provisioning on %s with the %s key store',
  (databaseId, keyStore) => {
    it('makes the declared keys on its own, after initialDelay, and runs again at its frequency', async () => {
      const knex = await databases.init(databaseId);
      const startedAt = Date.now();
      const backend = await startTestIngestionKeysBackend({
        knex,
        keyStore,
        entities: [...TEST_ENTITIES, LEDGER_API],
        features: [schedulerServiceFactory],
        config: {
          provisioning: {
            schedule: {
              frequency: { seconds: 1 },
              timeout: { seconds: 30 },
              initialDelay: { milliseconds: INITIAL_DELAY_MS },
            },
          },
        },
      });
      try {
        const api = request(backend.server);
        const entries = await waitUntil(
          'both keys ledger-api declares are provisioned',
          async () => {
            const res = await api
              .get(`${API_V1}/provisioning/status`)
              .query({ entityRef: 'component:default/ledger-api' })
              .set('Authorization', AUTH_AS.alice);
            const all: Array<{ state: string; keyName?: string }> =
              res.body.entries ?? [];
            return all.length === 2 && all.every(e => e.state === 'provisioned')
              ? all
              : undefined;
          },
        );
        expect(entries.map(e => e.keyName).sort()).toEqual([
          'ledger-api-production-sensor',
          'ledger-api-staging-thirdparty-otel-collector',
        ]);
        const keys = await knex('ingestion_keys').select(
          'origin',
          'created_at',
        );
        expect(keys.map(k => k.origin)).toEqual(['provisioned', 'provisioned']);
        // Nothing was made before the configured initial delay had passed.
        for (const key of keys) {
          expect(new Date(key.created_at).getTime()).toBeGreaterThanOrEqual(
            startedAt + INITIAL_DELAY_MS,
          );
        }

        const firstRunEnded = Math.max(
          ...keys.map(k => new Date(k.created_at).getTime()),
        );
        const nextRun = await waitUntil(
          'a later scheduled run has finished',
          async () => {
            const res = await api
              .get(`${API_V1}/provisioning/status`)
              .set('Authorization', AUTH_AS.carol);
            const run = res.body.lastRun;
            return run && Date.parse(run.startedAt) > firstRunEnded
              ? run
              : undefined;
          },
        );
        expect(nextRun).toMatchObject({
          entitiesSeen: 1,
          keysDesired: 2,
          keysCreated: 0,
          failed: [],
        });
      } finally {
        await backend.stop();
      }
    });
  },
);
