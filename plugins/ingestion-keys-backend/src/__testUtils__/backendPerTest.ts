import request from 'supertest';
import { Knex } from 'knex';
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
