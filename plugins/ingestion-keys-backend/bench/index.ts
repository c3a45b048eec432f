/*
 * `yarn bench`: the ingestion-keys backend over HTTP on loopback, with PostgreSQL, a generated
 * catalog and the groundcover contract server, measured against baselines taken in the same
 * run. Numbers are reported, not asserted. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';
import { KeyListResponse } from '@ingestion-keys/plugin-ingestion-keys-common';
import { BackendProcess, freePort } from './lib/BackendProcess';
import { CatalogSpec, entityRefOf, keysOfEntity } from './lib/entities';
import { JsonClient } from './lib/http';
import { BenchOptions, parseOptions } from './lib/options';
import {
  API,
  iacBaseline,
  IacBaselineResult,
  load,
  loadAtRate,
  LoadResult,
  Operation,
  OperationResult,
  operations,
  reconcile,
  ReconcileResult,
  storeCallLatencies,
  timeStoreList,
} from './lib/phases';
import { BenchDatabases, parsePgConnection } from './lib/postgres';
import { mb, ms, nowMs, num, seededRandom } from './lib/stats';
import { renderTable, Row } from './lib/table';

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

interface ListScenario {
  keys: number;
  seed: ReconcileResult;
  /** The clients back to back: the most the backend answers. */
  saturation: LoadResult;
  /** The clients sending the configured rate between them. */
  atRate: LoadResult;
  storeList: { ms: number; keys: number; bytes: number };
  rss: { idle: number; peak: number };
  /** Backend CPU time per answered request, over both loads. */
  cpuPerRequestMs: number;
}

interface ReconcileScenario {
  entities: number;
  first: ReconcileResult;
  second: ReconcileResult;
  rss: { idle: number; first: number; second: number };
  ops?: {
    results: Record<Operation, OperationResult>;
    raw: Awaited<ReturnType<typeof storeCallLatencies>>;
  };
}

class Bench {
  private readonly runId = `${Date.now().toString(36)}${randomBytes(2).toString(
    'hex',
  )}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ingestion-keys-bench-'));
  private readonly databases: BenchDatabases;
  private readonly live = new Set<{ stop(): Promise<void> }>();
  private readonly token = randomBytes(24).toString('base64url');
  readonly lists: ListScenario[] = [];
  readonly reconciles: ReconcileScenario[] = [];
  baseline?: IacBaselineResult;
  private backendStarts: number[] = [];

  constructor(readonly options: BenchOptions) {
    this.databases = new BenchDatabases(
      parsePgConnection(options.pg),
      `ikbench_${this.runId}_`,
    );
  }

  get logDir() {
    return this.dir;
  }

  /** Starts what a scenario needs, runs it, and always tears it down. */
  private async withBackend<T>(
    label: string,
    catalog: CatalogSpec,
    concurrency: number | undefined,
    run: (
      backend: BackendProcess,
      server: GroundcoverContractServer,
    ) => Promise<T>,
  ): Promise<T> {
    const server = await GroundcoverContractServer.start({
      latencyMs: this.options.latencyMs,
      listLagMs: this.options.listLagMs,
    });
    this.live.add(server);
    const database = await this.databases.create(label);
    let backend: BackendProcess | undefined;
    try {
      const started = nowMs();
      backend = await BackendProcess.start(
        {
          port: await freePort(),
          token: this.token,
          database: {
            connection: this.databases.connection,
            name: database,
          },
          groundcover: {
            baseUrl: server.baseUrl,
            apiKey: server.apiKey,
            backendId: server.backendId,
          },
          catalog,
          catalogDouble: this.options.catalogDouble,
          concurrency,
        },
        join(this.dir, `${label}.log`),
      );
      this.live.add(backend);
      this.backendStarts.push(nowMs() - started);
      return await run(backend, server);
    } finally {
      if (backend) {
        await backend.stop();
        this.live.delete(backend);
      }
      await server.stop();
      this.live.delete(server);
      await this.databases.drop(database);
    }
  }

  private reconcileTimeout(keys: number) {
    // Bounded: at worst 10 keys/s plus two minutes.
    return 120_000 + keys * 100;
  }

  async runBaseline() {
    const { baselineKeys, baselinePollMs } = this.options;
    log(
      `baseline: ${baselineKeys} keys one at a time, polling list every ${baselinePollMs} ms`,
    );
    const server = await GroundcoverContractServer.start({
      latencyMs: this.options.latencyMs,
      listLagMs: this.options.listLagMs,
    });
    this.live.add(server);
    try {
      this.baseline = await iacBaseline(server, baselineKeys, baselinePollMs);
    } finally {
      await server.stop();
      this.live.delete(server);
    }
    log(
      `baseline: ${num(this.baseline.keysPerSecond, 2)} keys/s in ${ms(
        this.baseline.elapsedMs,
      )}`,
    );
  }

  async runList(keys: number) {
    const { listEntities, clients, durationS, maxRequests } = this.options;
    const catalog = { entities: listEntities, keys };
    const seedConcurrency = this.options.seedConcurrency;
    await this.withBackend(
      `list_${keys}`,
      catalog,
      seedConcurrency,
      async (backend, server) => {
        log(
          `list ${num(keys)} keys over ${num(
            listEntities,
          )} entities: provisioning them`,
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
          const index = Math.floor(random() * listEntities);
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
          await load(client, nextPath, clients, 2000, maxRequests);
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
          const atRate = await loadAtRate(
            client,
            nextPath,
            clients,
            this.options.rate,
            durationS * 1000,
            check,
          );
          const peak = backend.peak();
          const cpuPerRequestMs =
            (backend.cpuMs() - cpuBefore) /
            (saturation.latency.count + atRate.latency.count);
          const storeList = await timeStoreList(server);
          this.lists.push({
            keys,
            seed,
            saturation,
            atRate,
            storeList,
            rss: { idle, peak },
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

  async runReconcile(entities: number, withOps: boolean) {
    const { keysPerEntity } = this.options;
    const keys = entities * keysPerEntity;
    await this.withBackend(
      `reconcile_${entities}`,
      { entities, keys },
      this.options.concurrency,
      async (backend, server) => {
        const idle = backend.rss();
        log(
          `reconcile ${num(
            entities,
          )} entities × ${keysPerEntity} keys: first run`,
        );
        backend.resetPeak();
        const first = await reconcile(
          backend,
          server,
          this.reconcileTimeout(keys),
        );
        const firstPeak = backend.peak();
        log(
          `  ${num(first.report.keysCreated)} created in ${ms(
            first.runMs,
          )} (${num(first.keysPerSecond)} keys/s), ${
            first.report.failed.length
          } failed; second run`,
        );
        // Let the store's list catch up with the last creates, as it would between runs.
        await new Promise(r => setTimeout(r, this.options.listLagMs + 50));
        backend.resetPeak();
        const second = await reconcile(
          backend,
          server,
          this.reconcileTimeout(keys),
        );
        const secondPeak = backend.peak();
        log(
          `  second run ${ms(second.runMs)}, store calls ${JSON.stringify(
            second.serverCalls,
          )}`,
        );
        const scenario: ReconcileScenario = {
          entities,
          first,
          second,
          rss: { idle, first: firstPeak, second: secondPeak },
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
    const { phases, listKeys, reconcileEntities } = this.options;
    if (phases.has('baseline')) {
      await this.runBaseline();
    }
    if (phases.has('list')) {
      for (const keys of listKeys) {
        await this.runList(keys);
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
          phases.has('ops') && entities === largest,
        );
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

  get startupMs() {
    return this.backendStarts;
  }
}

const met = (ok: boolean | undefined) =>
  ok === undefined ? 'n/a' : ok ? 'met' : 'NOT MET';

function report(bench: Bench, loadBefore: number[], totalMs: number): string {
  const o = bench.options;
  const out: string[] = [];
  const cpu = cpus();
  out.push(
    `Ingestion keys bench${
      o.quick ? ' (--quick: small sizes, targets are for the full sizes)' : ''
    }`,
    `machine: ${cpu.length} cores, ${cpu[0]?.model ?? 'unknown CPU'}, ${mb(
      totalmem(),
    )} RAM (${mb(
      freemem(),
    )} free at the end), load average at start ${loadBefore
      .map(l => l.toFixed(2))
      .join(' ')}; Node ${process.version}`,
    `store: groundcover contract server on 127.0.0.1, latency ${o.latencyMs} ms per call, list lag ${o.listLagMs} ms; ` +
      `PostgreSQL at ${new URL(o.pg).host}; catalog double: ${
        o.catalogDouble
      }; ` +
      `reconcile concurrency: ${
        o.concurrency ?? "the plugin's default"
      } (list data sets provisioned with ${o.seedConcurrency})`,
    '',
  );
  const rows: Row[] = [];
  const header = ['measure', 'result', 'baseline (same run)', 'target', 'met'];

  // 1. Entity tab list.
  const largestList = bench.lists.length
    ? bench.lists.reduce((a, b) => (b.keys > a.keys ? b : a))
    : undefined;
  for (const list of bench.lists) {
    const target = list === largestList && list.keys >= 10_000;
    const lat = (r: LoadResult) =>
      `${ms(r.latency.p50)} / ${ms(r.latency.p95)} / ${ms(r.latency.p99)}`;
    const size = `${num(list.keys)} keys / ${num(o.listEntities)} entities`;
    rows.push([
      `1. GET /v1/keys?entityRef=…, ${size}: p50 / p95 / p99 at ${o.rate} req/s from ${o.clients} clients`,
      `${lat(list.atRate)} (${num(list.atRate.latency.count)} answered, ${
        list.atRate.errors
      } errors)`,
      `1 store list of all ${num(list.storeList.keys)} keys: ${ms(
        list.storeList.ms,
      )} (${mb(list.storeList.bytes)})`,
      target ? 'p95 < 30 ms' : '',
      target ? met(list.atRate.latency.p95 < 30) : '',
    ]);
    rows.push([
      `   requests/s, ${o.clients} clients back to back (their p50 / p95 / p99)`,
      `${num(list.saturation.requestsPerSecond)} (${lat(list.saturation)}, ${
        list.saturation.errors
      } errors)`,
      `${num(
        1000 / list.storeList.ms,
        1,
      )}/s per client if each asked the store`,
      target ? '≥ 300 req/s' : '',
      target ? met(list.saturation.requestsPerSecond >= 300) : '',
    ]);
    rows.push([
      `   backend CPU per request`,
      ms(list.cpuPerRequestMs, 2),
      '',
      '',
      '',
    ]);
  }

  // 2. Reconcile.
  const largest = bench.reconciles.length
    ? bench.reconciles.reduce((a, b) => (b.entities > a.entities ? b : a))
    : undefined;
  const smallest = bench.reconciles.length
    ? bench.reconciles.reduce((a, b) => (b.entities < a.entities ? b : a))
    : undefined;
  const baseline = bench.baseline;
  for (const r of bench.reconciles) {
    const target = r === largest && r.entities >= 10_000;
    const keys = r.entities * o.keysPerEntity;
    const ratio = baseline
      ? r.first.keysPerSecond / baseline.keysPerSecond
      : NaN;
    const calls = (c: ReconcileResult['serverCalls']) =>
      `${num(c.create)} create, ${num(c.list)} list, ${num(c.delete)} delete`;
    rows.push([
      `2. first reconcile, ${num(r.entities)} entities × ${
        o.keysPerEntity
      } (${num(keys)} creates): keys/s`,
      `${num(r.first.keysPerSecond, 1)} keys/s (${num(
        r.first.report.keysCreated,
      )} in ${ms(r.first.runMs)}, ${r.first.report.failed.length} failed)`,
      baseline
        ? `serial IaC, ${baseline.keys} keys: ${num(
            baseline.keysPerSecond,
            2,
          )} keys/s`
        : 'baseline not run',
      target ? '≥ 40 keys/s' : '',
      target ? met(r.first.keysPerSecond >= 40) : '',
    ]);
    rows.push([
      `   speed vs serial IaC baseline`,
      baseline ? `${num(ratio, 1)}×` : 'n/a',
      baseline
        ? `${num(baseline.createCalls)} creates + ${num(
            baseline.listCalls,
          )} list polls in ${ms(baseline.elapsedMs)}`
        : '',
      target ? '≥ 20×' : '',
      target && baseline ? met(ratio >= 20) : '',
    ]);
    rows.push([
      `   store calls of the first run (contract server / run report)`,
      `${calls(r.first.serverCalls)} / ${
        r.first.report.storeCalls.create
      } create, ${r.first.report.storeCalls.list} list`,
      '',
      '',
      '',
    ]);
    rows.push([
      `   backend CPU per created key (first run) / whole second run`,
      `${ms(
        r.first.backendCpuMs / Math.max(1, r.first.report.keysCreated),
        2,
      )} / ${ms(r.second.backendCpuMs)}`,
      '',
      '',
      '',
    ]);
    const noOpOk =
      r.second.runMs < 10_000 &&
      r.second.serverCalls.list === 1 &&
      r.second.serverCalls.create === 0 &&
      r.second.serverCalls.delete === 0;
    rows.push([
      `   second reconcile (nothing to do): wall time, store calls`,
      `${ms(r.second.runMs)}; ${calls(r.second.serverCalls)}`,
      `trigger → report visible: ${ms(
        r.second.observedMs,
      )} (scheduler pickup ≤ 5 s)`,
      target ? '< 10 s, exactly 1 list' : '',
      target ? met(noOpOk) : '',
    ]);
  }

  // 3. Operations.
  const ops = largest?.ops;
  if (ops) {
    const baselineOf: Record<Operation, string> = {
      create: `store create ${ms(ops.raw.create.p50)} / ${ms(
        ops.raw.create.p95,
      )}`,
      reveal: `store list by name ${ms(ops.raw.listByName.p50)} / ${ms(
        ops.raw.listByName.p95,
      )}`,
      rotate: `store create ${ms(ops.raw.create.p50)} / ${ms(
        ops.raw.create.p95,
      )}`,
      revoke: `store list by name + delete ${ms(
        ops.raw.listByName.p50 + ops.raw.delete.p50,
      )} (p50 sum)`,
    };
    for (const operation of ['create', 'reveal', 'rotate', 'revoke'] as const) {
      const result = ops.results[operation];
      rows.push([
        `3. ${operation} (${result.latency.count}, ${
          o.opsConcurrency
        } clients, ${num(
          largest!.entities * o.keysPerEntity,
        )} keys stored): p50 / p95`,
        `${ms(result.latency.p50)} / ${ms(result.latency.p95)} (${num(
          result.storeCalls,
          1,
        )} store calls each)`,
        baselineOf[operation],
        '',
        '',
      ]);
    }
  }

  // 4. Memory.
  for (const list of bench.lists) {
    rows.push([
      `4. backend peak RSS, list benchmark ${num(list.keys)} keys / ${num(
        o.listEntities,
      )} entities`,
      mb(list.rss.peak),
      `idle after seeding: ${mb(list.rss.idle)}`,
      '',
      '',
    ]);
  }
  for (const r of bench.reconciles) {
    rows.push([
      `4. backend peak RSS, reconcile ${num(
        r.entities,
      )} entities: first / second run`,
      `${mb(r.rss.first)} / ${mb(r.rss.second)}`,
      `idle after start: ${mb(r.rss.idle)}`,
      '',
      '',
    ]);
  }
  if (largest && smallest && largest !== smallest) {
    const peakOf = (r: ReconcileScenario) =>
      Math.max(r.rss.first, r.rss.second);
    const ratio = peakOf(largest) / peakOf(smallest);
    const target = largest.entities >= 10_000 && smallest.entities <= 1000;
    rows.push([
      `   peak RSS ${num(largest.entities)} / ${num(
        smallest.entities,
      )} entities`,
      `${num(ratio, 2)}×`,
      `${mb(peakOf(largest))} vs ${mb(peakOf(smallest))}`,
      target ? '≤ 1.5×' : '',
      target ? met(ratio <= 1.5) : '',
    ]);
  }
  for (const list of bench.lists) {
    rows.push([
      `   (provisioning the list data set: ${num(list.keys)} keys)`,
      `${num(list.seed.keysPerSecond, 1)} keys/s in ${ms(list.seed.runMs)}`,
      '',
      '',
      '',
    ]);
  }
  out.push(renderTable(header, rows));
  out.push(
    '',
    `backend start: ${bench.startupMs
      .map(t => ms(t))
      .join(', ')}; whole bench ${ms(totalMs)}`,
  );
  return out.join('\n');
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
    log(`backend logs kept in ${bench.logDir}`);
  } finally {
    await bench.cleanup(failed);
  }
  process.stdout.write(`\n${report(bench, loadBefore, nowMs() - started)}\n`);
  process.exit(failed ? 1 : 0);
}

main();
