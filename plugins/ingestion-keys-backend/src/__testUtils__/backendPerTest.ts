import request from 'supertest';
import { Knex } from 'knex';
import { API_V1, AUTH_AS } from 'test-backend';
import { startTestIngestionKeysBackend } from './startTestIngestionKeysBackend';

type TestBackend = Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;

/** The backend of the test that runs now, its database and its API. */
export interface RunningTestBackend {
  backend: TestBackend;
  knex: Knex;
  api: ReturnType<typeof request>;
}

/**
 * Starts a test backend on a fresh database before each test of the enclosing `describe` and
 * stops it (checking its output for secrets) after: the returned object holds the current one.
 */
export function backendPerTest(
  database: () => Promise<Knex>,
  options: Omit<Parameters<typeof startTestIngestionKeysBackend>[0], 'knex'>,
): RunningTestBackend {
  const running = {} as RunningTestBackend;
  beforeEach(async () => {
    running.knex = await database();
    running.backend = await startTestIngestionKeysBackend({
      ...options,
      knex: running.knex,
    });
    running.api = request(running.backend.server);
  });
  afterEach(() => running.backend.stop());
  return running;
}

/**
 * Runs provisioning through the admin route (the test backend's scheduler runs it before the
 * route answers) and returns the last run the org-wide status reports.
 */
export async function runProvisioning(running: RunningTestBackend) {
  await running.api
    .post(`${API_V1}/provisioning/run`)
    .set('Authorization', AUTH_AS.carol)
    .expect(202);
  const status = await running.api
    .get(`${API_V1}/provisioning/status`)
    .set('Authorization', AUTH_AS.carol)
    .expect(200);
  return status.body.lastRun;
}
