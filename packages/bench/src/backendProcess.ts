/*
 * One Backstage backend running the real ingestion-keys plugin, started by the bench in a child
 * process so that its memory can be measured on its own. Everything is the production backend
 * of `@backstage/backend-defaults` (HTTP server and middleware, PostgreSQL through the database
 * service, the database-backed scheduler, auth with a static external-access token, auditor,
 * logger) except the catalog (a double serving generated entities) and the permission policy
 * (allows everything). The groundcover module talks to the bench's contract server.
 *
 * Options come as JSON in the INGESTION_KEYS_BENCH_BACKEND environment variable; the process
 * tells its parent "ready" over IPC once it listens, and stops on "stop" or SIGTERM.
 */
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import groundcoverModule from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover';
import ingestionKeysPlugin from '@ingestion-keys/plugin-ingestion-keys-backend';
import { generateEntities } from './lib/entities';
import { IndexedCatalog } from './lib/IndexedCatalog';
import {
  BackendProcessOptions,
  BENCH_BACKEND_ENV,
  HeapStats,
} from './lib/backendOptions';

async function main() {
  const options: BackendProcessOptions = JSON.parse(
    process.env[BENCH_BACKEND_ENV] ?? '',
  );
  const entities = generateEntities(options.catalog);

  const backend = createBackend();
  backend.add(
    mockServices.rootConfig.factory({
      data: {
        app: { baseUrl: 'http://127.0.0.1:3000' },
        backend: {
          baseUrl: `http://127.0.0.1:${options.port}`,
          listen: { host: '127.0.0.1', port: options.port },
          database: {
            client: 'pg',
            connection: options.database.connection,
            plugin: {
              'ingestion-keys': {
                connection: { database: options.database.name },
              },
            },
          },
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: options.token, subject: 'bench-client' },
              },
            ],
          },
        },
        ingestionKeys: {
          provider: 'groundcover',
          managedBy: 'bench',
          // The bench client makes, reveals, rotates and revokes keys and starts runs.
          serviceAccess: [
            {
              subject: 'bench-client',
              allow: ['create', 'reveal', 'rotate', 'revoke', 'admin'],
            },
          ],
          environments: ['production', 'staging'],
          groundcover: {
            baseUrl: options.groundcover.baseUrl,
            apiKey: options.groundcover.apiKey,
            backendId: options.groundcover.backendId,
          },
          provisioning: {
            // Runs only when the bench triggers it, so each run is measured on its own.
            schedule: {
              frequency: { trigger: 'manual' },
              timeout: { minutes: 60 },
            },
            ...(options.concurrency !== undefined
              ? { concurrency: options.concurrency }
              : {}),
          },
        },
      },
    }),
  );
  backend.add(
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
  );
  backend.add(
    options.catalogDouble === 'stock'
      ? catalogServiceMock.factory({ entities })
      : IndexedCatalog.factory(entities),
  );
  backend.add(ingestionKeysPlugin);
  backend.add(groundcoverModule);

  // The largest JS heap size between two "heap" questions, sampled 10 times a second.
  let peakHeapTotal = 0;
  setInterval(() => {
    peakHeapTotal = Math.max(peakHeapTotal, process.memoryUsage().heapTotal);
  }, 100).unref();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await backend.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('message', message => {
    if (message === 'stop') {
      stop();
    } else if (message === 'heap') {
      const peak = Math.max(peakHeapTotal, process.memoryUsage().heapTotal);
      // The bench starts node with --expose-gc for this.
      (globalThis as { gc?: () => void }).gc?.();
      const heap: HeapStats = {
        liveAfterGc: process.memoryUsage().heapUsed,
        peakHeapTotal: peak,
      };
      process.send?.({ heap });
      peakHeapTotal = 0;
    }
  });
  process.on('disconnect', stop);

  await backend.start();
  process.send?.('ready');
}

main().catch(error => {
  console.error('bench backend failed to start', error);
  process.exit(1);
});
