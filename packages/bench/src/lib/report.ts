import { cpus, freemem, totalmem } from 'node:os';
import { CatalogSource, HeapStats } from './backendOptions';
import { BenchOptions } from './options';
import {
  IacBaselineResult,
  LoadResult,
  Operation,
  OperationResult,
  ReconcileResult,
  storeCallLatencies,
} from './phases';
import { RoundTrips } from './QueryMeter';
import { mb, ms, num } from './stats';
import { renderTable, Row } from './table';

/** How long a scenario's backend took to be ready. */
export interface BackendStart {
  /** From spawning the process until it listens. */
  startMs: number;
  /** With the real catalog: from spawning until every generated entity was stitched. */
  catalogIngestMs?: number;
}

export interface ListScenario {
  catalog: CatalogSource;
  keys: number;
  entities: number;
  start: BackendStart;
  seed: ReconcileResult;
  /** The clients back to back: the most the backend answers. */
  saturation: LoadResult;
  /** The clients sending the configured rate between them. */
  atRate: LoadResult;
  /** Database round trips per request of the fixed-rate load. */
  roundTrips: RoundTrips;
  storeList: { ms: number; keys: number; bytes: number };
  rss: { idle: number; peak: number };
  heap: HeapStats;
  /** Backend CPU time per answered request, over both loads. */
  cpuPerRequestMs: number;
}

export interface ReconcileScenario {
  catalog: CatalogSource;
  entities: number;
  start: BackendStart;
  first: ReconcileResult;
  second: ReconcileResult;
  rss: { idle: number; first: number; second: number };
  heap: { idle: HeapStats; first: HeapStats; second: HeapStats };
  ops?: {
    results: Record<Operation, OperationResult>;
    raw: Awaited<ReturnType<typeof storeCallLatencies>>;
  };
}

/** Everything one bench run measured. */
export interface BenchResults {
  options: BenchOptions;
  lists: ListScenario[];
  reconciles: ReconcileScenario[];
  baselines: IacBaselineResult[];
  /** How long each backend took to start. */
  startupMs: number[];
  /**
   * Whether the PostgreSQL server runs autovacuum; when it does not, the bench refreshes the
   * planner statistics after each bulk load, as autovacuum would.
   */
  autovacuum?: boolean;
}

/** Limits are printed beside figures, never asserted. */
const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');

/**
 * How much a figure grows per tenfold of size between two data points: 1.0× is flat, 10× is
 * linear. Printed on every data point but the smallest, against the one before it.
 */
function perTenfold(
  previous: { size: number; value: number } | undefined,
  current: { size: number; value: number },
): string {
  if (!previous || previous.size === current.size || !(previous.value > 0)) {
    return '';
  }
  const tenfolds = Math.log10(current.size / previous.size);
  return `${num((current.value / previous.value) ** (1 / tenfolds), 2)}×`;
}

const trips = (r: RoundTrips, catalog: boolean) =>
  catalog ? `${num(r.plugin, 1)} / ${num(r.catalog, 1)}` : num(r.plugin, 1);

const catalogName: Record<CatalogSource, string> = {
  real: 'real catalog',
  double: 'catalog double',
  stock: 'stock catalogServiceMock',
};

function listRows(bench: BenchResults, source: CatalogSource): Row[] {
  const o = bench.options;
  const rows: Row[] = [];
  const lists = bench.lists.filter(l => l.catalog === source);
  const real = source === 'real';
  lists.forEach((list, i) => {
    const prev = lists[i - 1];
    const grow = (value: (l: ListScenario) => number) =>
      perTenfold(prev && { size: prev.keys, value: value(prev) }, {
        size: list.keys,
        value: value(list),
      });
    const lat = (r: LoadResult) =>
      `${ms(r.latency.p50)} / ${ms(r.latency.p95)} / ${ms(r.latency.p99)}`;
    rows.push([
      `list, ${num(list.keys)} keys / ${num(list.entities)} entities (${
        catalogName[source]
      }): p50 / p95 / p99 at ${o.rate} req/s`,
      `${lat(list.atRate)} (${num(list.atRate.latency.count)} answered, ${
        list.atRate.errors
      } errors)${
        // Offered more than it can answer, the backend queues: the latency is the queue's.
        list.saturation.requestsPerSecond < o.rate
          ? `; overloaded: answers at most ${num(
              list.saturation.requestsPerSecond,
            )} req/s`
          : ''
      }`,
      'p95 < 15 ms',
      verdict(list.atRate.latency.p95 < 15),
      grow(l => l.atRate.latency.p95),
    ]);
    rows.push([
      `  requests/s with ${o.clients} clients back to back (p95)`,
      `${num(list.saturation.requestsPerSecond)} (${ms(
        list.saturation.latency.p95,
      )}, ${list.saturation.errors} errors)`,
      `store list of all ${num(list.storeList.keys)} keys: ${ms(
        list.storeList.ms,
      )}`,
      '',
      grow(l => l.saturation.requestsPerSecond),
    ]);
    rows.push([
      `  DB round trips per request: plugin${real ? ' / catalog' : ''}`,
      trips(list.roundTrips, real),
      '',
      '',
      '',
    ]);
    rows.push([
      '  backend CPU per request',
      ms(list.cpuPerRequestMs, 2),
      '',
      '',
      grow(l => l.cpuPerRequestMs),
    ]);
    rows.push([
      '  backend RSS: idle after provisioning / peak under load',
      `${mb(list.rss.idle)} / ${mb(list.rss.peak)} (live heap after GC ${mb(
        list.heap.liveAfterGc,
      )})`,
      '',
      '',
      grow(l => l.rss.peak),
    ]);
    rows.push([
      `  ${
        real ? 'catalog ingestion (start → all stitched); ' : ''
      }provisioning ${num(list.keys)} keys`,
      `${
        list.start.catalogIngestMs !== undefined
          ? `${ms(list.start.catalogIngestMs)}; `
          : ''
      }${ms(list.seed.runMs)} (${num(list.seed.keysPerSecond)} keys/s)`,
      '',
      '',
      '',
    ]);
  });
  rows.push(
    ...memoryRatio(
      lists,
      l => l.keys,
      l => l.rss.peak,
      'keys',
    ),
  );
  return rows;
}

/** Peak RSS at the largest size against the smallest: the memory limit. */
function memoryRatio<T>(
  scenarios: T[],
  size: (s: T) => number,
  peak: (s: T) => number,
  unit: string,
): Row[] {
  if (scenarios.length < 2) return [];
  const smallest = scenarios[0];
  const largest = scenarios[scenarios.length - 1];
  const ratio = peak(largest) / peak(smallest);
  return [
    [
      `  peak RSS at ${num(size(largest))} / at ${num(size(smallest))} ${unit}`,
      `${num(ratio, 2)}× (${mb(peak(largest))} vs ${mb(peak(smallest))})`,
      '≤ 1.2×',
      verdict(ratio <= 1.2),
      '',
    ],
  ];
}

function reconcileRows(bench: BenchResults, source: CatalogSource): Row[] {
  const o = bench.options;
  const rows: Row[] = [];
  const reconciles = bench.reconciles.filter(r => r.catalog === source);
  const limit = o.concurrency / (o.latencyMs / 1000);
  const calls = (c: ReconcileResult['serverCalls']) =>
    `${num(c.create)} create, ${num(c.list)} list, ${num(c.delete)} delete`;
  const peakOf = (r: ReconcileScenario) => Math.max(r.rss.first, r.rss.second);
  reconciles.forEach((r, i) => {
    const prev = reconciles[i - 1];
    const grow = (value: (s: ReconcileScenario) => number) =>
      perTenfold(prev && { size: prev.entities, value: value(prev) }, {
        size: r.entities,
        value: value(r),
      });
    const share = r.first.keysPerSecond / limit;
    rows.push([
      `first reconcile, ${num(r.entities)} entities × ${o.keysPerEntity} (${
        catalogName[source]
      }): keys/s, share of concurrency ÷ store latency`,
      `${num(r.first.keysPerSecond, 1)} keys/s = ${num(share * 100)} % of ${num(
        limit,
      )} (${num(r.first.report.keysCreated)} in ${ms(r.first.runMs)}, ${
        r.first.report.failed.length
      } failed)`,
      `≥ 90 % (${o.concurrency} ÷ ${o.latencyMs} ms)`,
      verdict(share >= 0.9),
      grow(s => s.first.keysPerSecond),
    ]);
    rows.push([
      '  speed vs infrastructure-as-code, one at a time / parallelism 10',
      bench.baselines
        .map(b => `${num(r.first.keysPerSecond / b.keysPerSecond, 1)}×`)
        .join(' / ') || 'baseline not run',
      '',
      '',
      '',
    ]);
    rows.push([
      '  store calls of the first run (contract server)',
      calls(r.first.serverCalls),
      '',
      '',
      '',
    ]);
    const noOpOk =
      r.second.runMs < 5000 &&
      r.second.serverCalls.list === 1 &&
      r.second.serverCalls.create === 0 &&
      r.second.serverCalls.delete === 0;
    rows.push([
      '  no-op reconcile: wall time (its report); store calls',
      `${ms(r.second.runMs)}; ${calls(r.second.serverCalls)}`,
      '< 5 s, exactly 1 list',
      verdict(noOpOk),
      grow(s => s.second.runMs),
    ]);
    rows.push([
      '  backend CPU per created key / whole no-op run',
      `${ms(
        r.first.backendCpuMs / Math.max(1, r.first.report.keysCreated),
        2,
      )} / ${ms(r.second.backendCpuMs)}`,
      '',
      '',
      grow(s => s.second.backendCpuMs),
    ]);
    rows.push([
      '  backend RSS: idle / peak first run / peak no-op run',
      `${mb(r.rss.idle)} / ${mb(r.rss.first)} / ${mb(
        r.rss.second,
      )} (live heap after GC ${mb(r.heap.second.liveAfterGc)})`,
      '',
      '',
      grow(peakOf),
    ]);
    if (r.start.catalogIngestMs !== undefined) {
      rows.push([
        '  catalog ingestion (start → all stitched)',
        ms(r.start.catalogIngestMs),
        '',
        '',
        grow(s => s.start.catalogIngestMs ?? NaN),
      ]);
    }
  });
  rows.push(...memoryRatio(reconciles, r => r.entities, peakOf, 'entities'));
  const largest = reconciles[reconciles.length - 1];
  if (largest?.ops) {
    rows.push(...operationRows(bench, largest, source));
  }
  return rows;
}

function operationRows(
  bench: BenchResults,
  scenario: ReconcileScenario,
  source: CatalogSource,
): Row[] {
  const o = bench.options;
  const { results, raw } = scenario.ops!;
  const real = source === 'real';
  const limits: Record<Operation, { ms: number; text: string } | undefined> = {
    create: {
      ms: raw.create.p95 + 15,
      text: `≤ store create p95 + 15 ms = ${ms(raw.create.p95 + 15)}`,
    },
    reveal: undefined,
    rotate: {
      ms: raw.create.p95 + 15,
      text: `≤ store create p95 + 15 ms = ${ms(raw.create.p95 + 15)}`,
    },
    revoke: {
      ms: raw.listByName.p95 + raw.delete.p95 + 15,
      text: `≤ store list + delete p95 + 15 ms = ${ms(
        raw.listByName.p95 + raw.delete.p95 + 15,
      )}`,
    },
  };
  return (['create', 'reveal', 'rotate', 'revoke'] as const).map(operation => {
    const result = results[operation];
    const limit = limits[operation];
    return [
      `${operation} (${result.latency.count}, ${o.opsConcurrency} clients, ${
        catalogName[source]
      }): p50 / p95; store calls; DB round trips plugin${
        real ? ' / catalog' : ''
      }`,
      `${ms(result.latency.p50)} / ${ms(result.latency.p95)}; ${num(
        result.storeCalls,
        1,
      )}; ${trips(result.roundTrips, real)}`,
      limit?.text ??
        `(store list by name p95 ${ms(raw.listByName.p95)}, no limit)`,
      limit ? verdict(result.latency.p95 <= limit.ms) : '',
      '',
    ];
  });
}

function baselineRows(bench: BenchResults): Row[] {
  return bench.baselines.map(b => [
    `infrastructure-as-code baseline, ${b.keys} keys, parallelism ${b.parallelism}`,
    `${num(b.keysPerSecond, 2)} keys/s (${num(b.createCalls)} creates + ${num(
      b.listCalls,
    )} list polls in ${ms(b.elapsedMs)})`,
    '',
    '',
    '',
  ]);
}

/** The printed table: every figure beside its limit and how it grows per tenfold of size. */
export function renderReport(
  bench: BenchResults,
  loadBefore: number[],
  totalMs: number,
): string {
  const o = bench.options;
  const out: string[] = [];
  const cpu = cpus();
  out.push(
    `Ingestion keys bench${
      o.quick
        ? ' (--quick: small sizes; the limits are for the full sizes)'
        : ''
    }`,
    `machine: ${cpu.length} cores, ${cpu[0]?.model ?? 'unknown CPU'}, ${mb(
      totalmem(),
    )} RAM (${mb(
      freemem(),
    )} free at the end), load average at start ${loadBefore
      .map(l => l.toFixed(2))
      .join(' ')}; Node ${process.version}`,
    `backend under test: ${
      o.built
        ? 'built (bundled JavaScript, plain node)'
        : 'unbuilt (TypeScript through the node transform)'
    }, NODE_ENV=production; catalog: ${o.catalogs
      .map(c => catalogName[c])
      .join(', then ')}; permission policy: allow all`,
    `store: groundcover contract server on 127.0.0.1, latency ${o.latencyMs} ms per call, list lag ${o.listLagMs} ms; ` +
      `PostgreSQL at ${new URL(o.pg).host}${
        bench.autovacuum === false
          ? ' (autovacuum off: the bench runs ANALYZE after each bulk load, as autovacuum would)'
          : ''
      }; reconcile concurrency ${
        o.concurrency
      } (list data sets provisioned with ${o.seedConcurrency})`,
    '',
  );
  const rows: Row[] = [...baselineRows(bench)];
  for (const source of o.catalogs) {
    rows.push(...listRows(bench, source), ...reconcileRows(bench, source));
  }
  out.push(
    renderTable(['figure', 'result', 'limit', 'within', 'per tenfold'], rows),
  );
  out.push(
    '',
    'Latency at a fixed rate counts from when each request was due. "per tenfold": how the figure',
    'grows per tenfold of size against the data point above it (1× flat, 10× linear). DB round',
    "trips: statements the backend sent to PostgreSQL (node-postgres' Client.query) while handling",
    "the phase's requests (and the catalog requests they made), per database; background work is",
    'not counted. A no-op run is timed by its own report. RSS peaks: the kernel high-water mark.',
    `backend start: ${bench.startupMs
      .map(t => ms(t))
      .join(', ')}; whole bench ${ms(totalMs)}`,
  );
  return out.join('\n');
}
