import { CatalogSource } from './backendOptions';

export type Phase = 'baseline' | 'list' | 'reconcile' | 'ops';

/** One data set of the list benchmark. */
export interface ListSize {
  keys: number;
  entities: number;
}

export interface BenchOptions {
  quick: boolean;
  /** Added by the contract server to every call. */
  latencyMs: number;
  /** How long the contract server's list lags its writes. */
  listLagMs: number;
  /** Concurrent clients of the list benchmark. */
  clients: number;
  /** Requests per second those clients send between them for the latency measurement. */
  rate: number;
  /** Data sets of the list benchmark, one backend each, smallest first. */
  listSizes: ListSize[];
  /** Measured seconds of each list benchmark (after a warm-up). */
  durationS: number;
  /** Request cap of each list benchmark, whatever the duration. */
  maxRequests: number;
  /** Annotated entities of the reconcile benchmark, one backend each. */
  reconcileEntities: number[];
  keysPerEntity: number;
  /** Keys of the infrastructure-as-code baseline. */
  baselineKeys: number;
  /** Poll interval of the infrastructure-as-code baseline. */
  baselinePollMs: number;
  /** Creates, reveals, rotations and revocations measured. */
  ops: number;
  /** Concurrent clients of the operations benchmark. */
  opsConcurrency: number;
  /** `ingestionKeys.provisioning.concurrency` of the reconcile benchmark. */
  concurrency: number;
  /** The same for the backends of the list benchmark, which only provision its data set. */
  seedConcurrency: number;
  /** The catalogs each list and reconcile scenario runs against, in order. */
  catalogs: CatalogSource[];
  /** Whether the backend under test runs built (plain node) or from its TypeScript sources. */
  built: boolean;
  phases: Set<Phase>;
  /** PostgreSQL server (on this machine). */
  pg: string;
}

// Organisation scale in tenfold steps, so each figure's growth per tenfold is read directly.
const FULL = {
  listEntities: [200, 2000, 20000],
  listKeys: [1000, 10000, 100000],
  durationS: 10,
  reconcileEntities: [200, 2000, 20000],
  baselineKeys: 300,
  ops: 200,
  catalog: 'real',
};

const QUICK = {
  listEntities: [20, 200],
  listKeys: [100, 1000],
  durationS: 2,
  reconcileEntities: [20, 200],
  baselineKeys: 10,
  ops: 20,
  catalog: 'real',
};

const CATALOGS: Record<string, CatalogSource[]> = {
  real: ['real'],
  double: ['double'],
  stock: ['stock'],
  both: ['real', 'double'],
};

export const USAGE = `yarn bench [--quick] [--flag=value ...]   (each flag also as env BENCH_<FLAG>, e.g. BENCH_LATENCY=100)

  --quick                  small sizes, finishes in a few minutes (smoke test)
  --latency=50             groundcover contract server latency per call, ms
  --list-lag=250           contract server list lag after writes, ms
  --clients=64             concurrent clients of the entity list benchmark
  --rate=300               requests/s they send between them for the latency figures
  --list-keys=1000,10000,100000   key counts of the list benchmark (one backend each)
  --list-entities=200,2000,20000  catalog entities of each (one value: the same for all)
  --duration=10            measured seconds of each list load (after a 2 s warm-up)
  --max-requests=200000    request cap per list benchmark
  --reconcile-entities=200,2000,20000   annotated entities of the reconcile benchmark
  --keys-per-entity=3      keys each of those entities declares
  --baseline-keys=300      keys of the serial infrastructure-as-code baseline
  --baseline-poll=250      its list poll interval, ms
  --ops=200                creates, reveals, rotations and revocations measured
  --ops-concurrency=4      concurrent clients of the operations benchmark
  --concurrency=16         ingestionKeys.provisioning.concurrency of the reconcile
                           benchmark (16 is the plugin's own default)
  --seed-concurrency=32    the same for provisioning the list benchmark's data sets
  --catalog=real           the catalog the plugin asks: real (the catalog plugin in the
                           backend, entities ingested by an entity provider), double (an
                           indexed in-process double: the plugin's own cost), both (each
                           scenario with real, then double), stock (catalogServiceMock)
  --backend=built          built: the backend under test bundled and run with plain node;
                           source: through the TypeScript transform
  --only=baseline,list,reconcile,ops   phases to run (default all)
  --pg=postgresql://postgres:postgres@127.0.0.1:5432   local PostgreSQL server
                           (default $BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)`;

/** Environment settings of the backend process, not bench options. */
const ENV_ONLY = new Set([
  'BENCH_LOG_LEVEL',
  'BENCH_CPU_PROF',
  'BENCH_NODE_ARGS',
  'BENCH_KEEP_LOGS',
  'BENCH_TRACE',
]);

function numbers(value: string, name: string): number[] {
  const parsed = value.split(',').map(v => Number(v.trim()));
  if (parsed.some(n => !Number.isFinite(n) || n < 0)) {
    throw new Error(`--${name} must be a number or a comma-separated list`);
  }
  return parsed;
}

export function parseOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
): BenchOptions {
  const given = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('BENCH_') && value !== undefined && !ENV_ONLY.has(key)) {
      given.set(key.slice(6).toLowerCase().replace(/_/g, '-'), value);
    }
  }
  for (const arg of argv) {
    const match = arg.match(/^--([a-z-]+)(?:=(.*))?$/);
    if (!match) {
      throw new Error(`unknown argument ${arg}\n\n${USAGE}`);
    }
    given.set(match[1], match[2] ?? 'true');
  }
  const known = new Set([
    'help',
    'quick',
    'latency',
    'list-lag',
    'clients',
    'rate',
    'list-entities',
    'list-keys',
    'duration',
    'max-requests',
    'reconcile-entities',
    'keys-per-entity',
    'baseline-keys',
    'baseline-poll',
    'ops',
    'ops-concurrency',
    'concurrency',
    'seed-concurrency',
    'catalog',
    'backend',
    'only',
    'pg',
  ]);
  for (const key of given.keys()) {
    if (!known.has(key)) {
      throw new Error(`unknown option --${key}\n\n${USAGE}`);
    }
  }
  if (given.has('help')) {
    throw new Error(USAGE);
  }
  const quick = given.get('quick') === 'true' || given.get('quick') === '1';
  const sizes = quick ? QUICK : FULL;
  const one = (name: string, fallback: number) =>
    given.has(name) ? numbers(given.get(name)!, name)[0] : fallback;
  const list = (name: string, fallback: number[]) =>
    given.has(name) ? numbers(given.get(name)!, name) : fallback;
  const phases = new Set<Phase>(
    (given.get('only') ?? 'baseline,list,reconcile,ops')
      .split(',')
      .map(p => p.trim()) as Phase[],
  );
  for (const phase of phases) {
    if (!['baseline', 'list', 'reconcile', 'ops'].includes(phase)) {
      throw new Error(`--only takes baseline, list, reconcile, ops`);
    }
  }
  const catalogs = CATALOGS[given.get('catalog') ?? sizes.catalog];
  if (!catalogs) {
    throw new Error('--catalog is real, double, both or stock');
  }
  const backend = given.get('backend') ?? 'built';
  if (backend !== 'built' && backend !== 'source') {
    throw new Error('--backend is built or source');
  }
  const listKeys = list('list-keys', sizes.listKeys);
  const listEntities = list('list-entities', sizes.listEntities);
  if (listEntities.length !== 1 && listEntities.length !== listKeys.length) {
    throw new Error('--list-entities takes one value or one per --list-keys');
  }
  const listSizes = listKeys
    .map((keys, i) => ({ keys, entities: listEntities[i] ?? listEntities[0] }))
    .sort((a, b) => a.keys - b.keys);
  return {
    quick,
    latencyMs: one('latency', 50),
    listLagMs: one('list-lag', 250),
    clients: one('clients', 64),
    rate: one('rate', 300),
    listSizes,
    durationS: one('duration', sizes.durationS),
    maxRequests: one('max-requests', 200_000),
    reconcileEntities: list('reconcile-entities', sizes.reconcileEntities).sort(
      (a, b) => a - b,
    ),
    keysPerEntity: one('keys-per-entity', 3),
    baselineKeys: one('baseline-keys', sizes.baselineKeys),
    baselinePollMs: one('baseline-poll', 250),
    ops: one('ops', sizes.ops),
    opsConcurrency: one('ops-concurrency', 4),
    concurrency: one('concurrency', 16),
    seedConcurrency: one('seed-concurrency', 32),
    catalogs,
    built: backend === 'built',
    phases,
    pg:
      given.get('pg') ??
      env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres:postgres@127.0.0.1:5432',
  };
}
