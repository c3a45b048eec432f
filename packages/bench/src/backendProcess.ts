/*
 * One Backstage backend running the real ingestion-keys plugin, started by the bench in a child
 * process so that its memory can be measured on its own. Everything is the production backend
 * of `@backstage/backend-defaults` (HTTP server and middleware, PostgreSQL through the database
 * service, the database-backed scheduler, auth with a static external-access token, auditor,
 * logger, configuration read from a file) and, with `catalogSource: real`, the catalog plugin
 * with its own database, fed the generated entities by an entity provider. Permissions are off
 * (everything is allowed); the catalog is a double only when asked for. The groundcover module
 * talks to the bench's contract server. The bench bundles this file (see buildBackend.ts) and
 * runs it with plain node.
 *
 * Options come as JSON in the INGESTION_KEYS_BENCH_BACKEND environment variable; the process
 * tells its parent "ready" over IPC once it listens, and stops on "stop" or SIGTERM. It answers
 * "heap" and "queries" (statements sent to PostgreSQL for requests, per database) over IPC too.
 */
import { writeFileSync } from 'node:fs';
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import groundcoverModule from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover';
import ingestionKeysPlugin from '@ingestion-keys/plugin-ingestion-keys-backend';
import { generateEntities } from './lib/entities';
import { benchCatalogModule } from './lib/benchCatalogModule';
import { countQueries } from './lib/countQueries';
import {
  BackendProcessOptions,
  BENCH_BACKEND_ENV,
  HeapStats,
} from './lib/backendOptions';

async function main() {
  const queries = countQueries();
  const options: BackendProcessOptions = JSON.parse(
    process.env[BENCH_BACKEND_ENV] ?? '',
  );

  // Configuration reaches the backend as in production, from a config file named by --config.
  writeFileSync(
    options.configFile,
    JSON.stringify({
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
            ...(options.database.catalogName
              ? {
                  catalog: {
                    connection: { database: options.database.catalogName },
                  },
                }
              : {}),
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
          concurrency: options.concurrency,
        },
      },
      // Off, as by default: the framework's permissions service then allows everything,
      // which is the bench's allow-all policy without a test double in the process.
      permission: { enabled: false },
    }),
    { mode: 0o600 },
  );
  const backend = createBackend();
  backend.add(
    rootConfigServiceFactory({
      argv: ['--config', options.configFile],
      watch: false,
    }),
  );
  if (options.catalogSource === 'real') {
    // The plugin then reaches the catalog through the default catalogServiceRef: HTTP to
    // /api/catalog with a token on behalf of the caller, as in production.
    backend.add(catalogPlugin);
    backend.add(benchCatalogModule(options.catalog));
  } else {
    // Required only here, so that a backend with the real catalog loads no test code.
    const entities = generateEntities(options.catalog);
    backend.add(
      options.catalogSource === 'stock'
        ? (
            require('@backstage/plugin-catalog-node/testUtils') as typeof import('@backstage/plugin-catalog-node/testUtils')
          ).catalogServiceMock.factory({ entities })
        : (
            require('./lib/IndexedCatalog') as typeof import('./lib/IndexedCatalog')
          ).IndexedCatalog.factory(entities),
    );
  }
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
    } else if (message === 'queries') {
      process.send?.({ queries: queries() });
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
