/*
 * `yarn bench`: the ingestion-keys backend, built and in a child process, over HTTP on loopback,
 * with PostgreSQL, the real catalog plugin fed generated entities (or a catalog double) and the
 * groundcover contract server, at organisation scale; each figure is printed beside its limit.
 * Numbers are reported, not asserted. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';
import { KeyListResponse } from '@ingestion-keys/plugin-ingestion-keys-common';
import { BackendEntry, BackendProcess, freePort } from './lib/BackendProcess';
import { CatalogSource } from './lib/backendOptions';
import { buildBackend } from './lib/buildBackend';
import { CatalogSpec, entityRefOf, keysOfEntity } from './lib/entities';
import { JsonClient } from './lib/http';
import { BenchOptions, ListSize, parseOptions } from './lib/options';
import { QueryMeter } from './lib/QueryMeter';
import { waitForCatalog } from './lib/waitForCatalog';
import {
  API,
  iacBaseline,
  IacBaselineResult,
  load,
  loadAtRate,
  operations,
  reconcile,
  storeCallLatencies,
  timeStoreList,
} from './lib/phases';
import { BenchDatabases, parsePgConnection } from './lib/postgres';
import {
  BackendStart,
  BenchResults,
  ListScenario,
  ReconcileScenario,
  renderReport,
} from './lib/report';
import { ms, nowMs, num, seededRandom } from './lib/stats';

const benchStart = Date.now();
const log = (message: string) =>
  process.stderr.write(
    `bench ${((Date.now() - benchStart) / 1000)
      .toFixed(0)
      .padStart(4)} s: ${message}\n`,
  );

/** Infrastructure-as-code baselines: one key at a time, and Terraform's default parallelism. */
const IAC_PARALLELISM = [1, 10];

class Bench implements BenchResults {
  private readonly runId = `${Date.now().toString(36)}${randomBytes(2).toString(
    'hex',
  )}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ingestion-keys-bench-'));
  private readonly databases: BenchDatabases;
  private readonly live = new Set<{ stop(): Promise<void> }>();
  private readonly token = randomBytes(24).toString('base64url');
  readonly lists: ListScenario[] = [];
  readonly reconciles: ReconcileScenario[] = [];
  readonly baselines: IacBaselineResult[] = [];
  readonly startupMs: number[] = [];
  autovacuum?: boolean;
  private entry?: BackendEntry;

  constructor(readonly options: BenchOptions) {
    this.databases = new BenchDatabases(
      parsePgConnection(options.pg),
      `ikbench_${this.runId}_`,
    );
  }

  get logDir() {
    return this.dir;
  }

  /** The backend under test: built once per run, or the TypeScript source. */
  private async backendEntry(): Promise<BackendEntry> {
    if (!this.entry) {
      if (this.options.built) {
        const started = nowMs();
        const script = await buildBackend(this.dir);
        log(`built the backend under test in ${ms(nowMs() - started)}`);
        this.entry = { script, built: true };
      } else {
        this.entry = {
          script: resolvePackagePath('bench', 'src/backendProcess.ts'),
          built: false,
        };
      }
    }
    return this.entry;
  }

  /**
   * Starts what a scenario needs (with the real catalog: until it has stitched every generated
   * entity), runs it, and always tears it down.
   */
  private async withBackend<T>(
    label: string,
    source: CatalogSource,
    catalog: CatalogSpec,
    concurrency: number,
    run: (
      backend: BackendProcess,
      server: GroundcoverContractServer,
      started: BackendStart,
      bulkLoaded: () => Promise<void>,
    ) => Promise<T>,
  ): Promise<T> {
    const server = await GroundcoverContractServer.start({
      latencyMs: this.options.latencyMs,
      listLagMs: this.options.listLagMs,
    });
    this.live.add(server);
    const database = await this.databases.create(label);
    const catalogDatabase =
      source === 'real'
        ? await this.databases.create(`${label}_catalog`)
        : undefined;
    // A production server's autovacuum refreshes the planner's statistics within a minute of
    // bulk writes; on a test server with it off, plans would be made for empty tables.
    const bulkLoaded = async () => {
      if (this.autovacuum === false) {
        for (const name of [database, catalogDatabase]) {
          if (name) await this.databases.analyze(name);
        }
      }
    };
    let backend: BackendProcess | undefined;
    try {
      const started = nowMs();
      backend = await BackendProcess.start(
        await this.backendEntry(),
        {
          port: await freePort(),
          token: this.token,
          database: {
            connection: this.databases.connection,
            name: database,
            catalogName: catalogDatabase,
          },
          groundcover: {
            baseUrl: server.baseUrl,
            apiKey: server.apiKey,
            backendId: server.backendId,
          },
          catalog,
          catalogSource: source,
          concurrency,
          configFile: join(this.dir, `${label}.app-config.json`),
        },
        join(this.dir, `${label}.log`),
      );
      this.live.add(backend);
      const startMs = nowMs() - started;
      this.startupMs.push(startMs);
      let catalogIngestMs: number | undefined;
      if (source === 'real') {
        log(`  the catalog is ingesting ${num(catalog.entities)} entities`);
        await waitForCatalog(
          backend.api,
          catalog.entities,
          120_000 + catalog.entities * 100,
        );
        catalogIngestMs = nowMs() - started;
        log(`  every entity stitched ${ms(catalogIngestMs)} after the start`);
        await bulkLoaded();
      }
      return await run(
        backend,
        server,
        { startMs, catalogIngestMs },
        bulkLoaded,
      );
    } finally {
      if (backend) {
        await backend.stop();
        this.live.delete(backend);
      }
      await server.stop();
      this.live.delete(server);
      await this.databases.drop(database);
      if (catalogDatabase) {
        await this.databases.drop(catalogDatabase);
      }
    }
  }

  private reconcileTimeout(keys: number) {
    // Bounded: at worst 10 keys/s plus two minutes.
    return 120_000 + keys * 100;
  }

  async runBaseline() {
    const { baselineKeys, baselinePollMs } = this.options;
    for (const parallelism of IAC_PARALLELISM) {
      log(
        `baseline: ${baselineKeys} keys, ${parallelism} at a time, polling list every ${baselinePollMs} ms`,
      );
      const server = await GroundcoverContractServer.start({
        latencyMs: this.options.latencyMs,
        listLagMs: this.options.listLagMs,
      });
      this.live.add(server);
      try {
        const baseline = await iacBaseline(
          server,
          baselineKeys,
          baselinePollMs,
          parallelism,
        );
        this.baselines.push(baseline);
        log(
          `baseline: ${num(baseline.keysPerSecond, 2)} keys/s in ${ms(
            baseline.elapsedMs,
          )}`,
        );
      } finally {
        await server.stop();
        this.live.delete(server);
      }
    }
  }

  async runList(size: ListSize, source: CatalogSource) {
    const { clients, durationS, maxRequests } = this.options;
    const { keys, entities } = size;
    const catalog = { entities, keys };
    await this.withBackend(
      `list_${keys}_${source}`,
      source,
      catalog,
      this.options.seedConcurrency,
      async (backend, server, start, bulkLoaded) => {
        log(
          `list ${num(keys)} keys over ${num(
            entities,
          )} entities, ${source} catalog: provisioning them`,
        );
        const seed = await reconcile(
          backend,
          server,
          this.reconcileTimeout(keys),
        );
        if (seed.report.keysCreated !== keys || seed.report.failed.length) {
          throw new Error(
            `seeding created ${seed.report.keysCreated} of ${keys} keys, ${seed.report.failed.length} failed`,
          );
        }
        await bulkLoaded();
        log(
          `  provisioned in ${ms(seed.runMs)}; loading with ${clients} clients`,
        );
        const client = new JsonClient(
          `http://127.0.0.1:${backend.options.port}`,
          { authorization: `Bearer ${backend.options.token}` },
          { maxSockets: clients },
        );
        const random = seededRandom(keys);
        const nextPath = () => {
          const index = Math.floor(random() * entities);
          return `${API}/v1/keys?entityRef=${encodeURIComponent(
            entityRefOf(index),
          )}`;
        };
        // Every answer must list exactly the keys that entity declares.
        const check = (path: string, body: KeyListResponse) => {
          const index = Number(decodeURIComponent(path).split('svc-')[1]);
          return body.totalCount === keysOfEntity(catalog, index);
        };
        try {
          const idle = backend.rss();
          // Warm-up: connections, JIT, the database's caches.
          await load(
            client,
            nextPath,
            clients,
            Math.min(2000, durationS * 500),
            maxRequests,
          );
          const meter = new QueryMeter(backend);
          backend.resetPeak();
          const cpuBefore = backend.cpuMs();
          const saturation = await load(
            client,
            nextPath,
            clients,
            durationS * 1000,
            maxRequests,
            check,
          );
          const { result: atRate, roundTrips } = await meter.measure(
            Math.floor(this.options.rate * durationS),
            () =>
              loadAtRate(
                client,
                nextPath,
                clients,
                this.options.rate,
                durationS * 1000,
                check,
              ),
          );
          const peak = backend.peak();
          const cpuPerRequestMs =
            (backend.cpuMs() - cpuBefore) /
            (saturation.latency.count + atRate.latency.count);
          const heap = await backend.heap();
          const storeList = await timeStoreList(server);
          this.lists.push({
            catalog: source,
            keys,
            entities,
            start,
            seed,
            saturation,
            atRate,
            roundTrips,
            storeList,
            rss: { idle, peak },
            heap,
            cpuPerRequestMs,
          });
          log(
            `  ${num(saturation.requestsPerSecond)} req/s at most; at ${
              this.options.rate
            } req/s p95 ${ms(atRate.latency.p95)}; ${
              saturation.errors + atRate.errors
            } errors; backend CPU ${ms(cpuPerRequestMs, 2)}/request`,
          );
        } finally {
          client.close();
        }
      },
    );
  }

  async runReconcile(
    entities: number,
    source: CatalogSource,
    withOps: boolean,
  ) {
    const { keysPerEntity } = this.options;
    const keys = entities * keysPerEntity;
    await this.withBackend(
      `reconcile_${entities}_${source}`,
      source,
      { entities, keys },
      this.options.concurrency,
      async (backend, server, start, bulkLoaded) => {
        const idle = backend.rss();
        const heapIdle = await backend.heap();
        log(
          `reconcile ${num(
            entities,
          )} entities × ${keysPerEntity} keys, ${source} catalog: first run`,
        );
        backend.resetPeak();
        const first = await reconcile(
          backend,
          server,
          this.reconcileTimeout(keys),
        );
        const firstPeak = backend.peak();
        const heapFirst = await backend.heap();
        log(
          `  ${num(first.report.keysCreated)} created in ${ms(
            first.runMs,
          )} (${num(first.keysPerSecond)} keys/s), ${
            first.report.failed.length
          } failed; second run`,
        );
        // Let the store's list catch up with the last creates, as it would between runs.
        await new Promise(r => setTimeout(r, this.options.listLagMs + 50));
        await bulkLoaded();
        backend.resetPeak();
        const second = await reconcile(
          backend,
          server,
          this.reconcileTimeout(keys),
        );
        const secondPeak = backend.peak();
        const heapSecond = await backend.heap();
        log(
          `  second run ${ms(second.runMs)}, store calls ${JSON.stringify(
            second.serverCalls,
          )}`,
        );
        const scenario: ReconcileScenario = {
          catalog: source,
          entities,
          start,
          first,
          second,
          rss: { idle, first: firstPeak, second: secondPeak },
          heap: { idle: heapIdle, first: heapFirst, second: heapSecond },
        };
        if (withOps) {
          const count = Math.min(this.options.ops, entities);
          log(`operations: ${count} creates, reveals, rotations, revocations`);
          const random = seededRandom(7);
          const picked = new Set<number>();
          while (picked.size < count) {
            picked.add(Math.floor(random() * entities));
          }
          const results = await operations(
            backend,
            server,
            new QueryMeter(backend),
            [...picked].map(entityRefOf),
            this.options.opsConcurrency,
            this.options.listLagMs,
          );
          const raw = await storeCallLatencies(server, Math.min(count, 50));
          scenario.ops = { results, raw };
        }
        // Sanity: the store and the database hold exactly the declared keys.
        const upstream = server
          .keys()
          .filter(k => !k.name.startsWith('raw-call-'));
        const provisioned = upstream.filter(k => !k.name.includes('bench-ops'));
        if (provisioned.length !== keys) {
          throw new Error(
            `the store holds ${provisioned.length} provisioned keys, expected ${keys}`,
          );
        }
        const recorded = await backend.api.expect<KeyListResponse>(
          200,
          'GET',
          `${API}/v1/keys?limit=1&status=active`,
        );
        if (recorded.body.totalCount !== upstream.length) {
          throw new Error(
            `the database records ${recorded.body.totalCount} active keys, the store holds ${upstream.length}`,
          );
        }
        this.reconciles.push(scenario);
      },
    );
  }

  async run() {
    const { phases, listSizes, reconcileEntities, catalogs } = this.options;
    this.autovacuum = await this.databases.autovacuum();
    if (phases.has('baseline')) {
      await this.runBaseline();
    }
    for (const source of catalogs) {
      if (phases.has('list')) {
        for (const size of listSizes) {
          await this.runList(size, source);
        }
      }
      if (phases.has('reconcile') || phases.has('ops')) {
        const sizes = phases.has('reconcile')
          ? reconcileEntities
          : [Math.max(...reconcileEntities)];
        const largest = Math.max(...sizes);
        for (const entities of sizes) {
          await this.runReconcile(
            entities,
            source,
            phases.has('ops') && entities === largest,
          );
        }
      }
    }
  }

  async cleanup(keepLogs: boolean) {
    for (const item of [...this.live]) {
      await item.stop().catch(() => undefined);
    }
    await this.databases.dropAll().catch(() => undefined);
    if (!keepLogs) {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

async function main() {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const loadBefore = loadavg();
  const started = nowMs();
  const bench = new Bench(options);
  let failed = false;
  const interrupt = async () => {
    log('interrupted: stopping backends and dropping databases');
    await bench.cleanup(false);
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await bench.run();
  } catch (error) {
    failed = true;
    log(`failed: ${(error as Error).stack ?? error}`);
  } finally {
    await bench.cleanup(failed || Boolean(process.env.BENCH_KEEP_LOGS));
    if (failed || process.env.BENCH_KEEP_LOGS) {
      log(`backend logs kept in ${bench.logDir}`);
    }
  }
  process.stdout.write(
    `\n${renderReport(bench, loadBefore, nowMs() - started)}\n`,
  );
  process.exit(failed ? 1 : 0);
}

main();
