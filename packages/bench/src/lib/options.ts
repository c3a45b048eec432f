export type Phase = 'baseline' | 'list' | 'reconcile' | 'ops';

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
  /** Entities of the list benchmark's catalog. */
  listEntities: number;
  /** Key counts of the list benchmark, one backend each. */
  listKeys: number[];
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
  /** `ingestionKeys.provisioning.concurrency`; undefined keeps the plugin's default. */
  concurrency?: number;
  /** The same for the backends of the list benchmark, which only provision its data set. */
  seedConcurrency: number;
  catalogDouble: 'indexed' | 'stock';
  phases: Set<Phase>;
  /** PostgreSQL server (on this machine). */
  pg: string;
}

const FULL = {
  listEntities: 2000,
  listKeys: [1000, 10000],
  durationS: 10,
  reconcileEntities: [1000, 10000],
  baselineKeys: 300,
  ops: 200,
};

const QUICK = {
  listEntities: 200,
  listKeys: [400],
  durationS: 2,
  reconcileEntities: [200],
  baselineKeys: 10,
  ops: 20,
};

export const USAGE = `yarn bench [--quick] [--flag=value ...]   (each flag also as env BENCH_<FLAG>, e.g. BENCH_LATENCY=100)

  --quick                  small sizes, finishes in under a minute (smoke test)
  --latency=50             groundcover contract server latency per call, ms
  --list-lag=250           contract server list lag after writes, ms
  --clients=64             concurrent clients of the entity list benchmark
  --rate=300               requests/s they send between them for the latency figures
  --list-entities=2000     catalog entities of the list benchmark
  --list-keys=1000,10000   key counts of the list benchmark (one backend each)
  --duration=10            measured seconds of each list load (after a 2 s warm-up)
  --max-requests=200000    request cap per list benchmark
  --reconcile-entities=1000,10000   annotated entities of the reconcile benchmark
  --keys-per-entity=3      keys each of those entities declares
  --baseline-keys=300      keys of the serial infrastructure-as-code baseline
  --baseline-poll=250      its list poll interval, ms
  --ops=200                creates, reveals, rotations and revocations measured
  --ops-concurrency=4      concurrent clients of the operations benchmark
  --concurrency=N          ingestionKeys.provisioning.concurrency of the reconcile
                           benchmark (default: the plugin's own default)
  --seed-concurrency=32    the same for provisioning the list benchmark's data sets
  --catalog=indexed|stock  catalog double: indexed (default) or the stock catalogServiceMock
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
  const catalog = given.get('catalog') ?? 'indexed';
  if (catalog !== 'indexed' && catalog !== 'stock') {
    throw new Error('--catalog is indexed or stock');
  }
  return {
    quick,
    latencyMs: one('latency', 50),
    listLagMs: one('list-lag', 250),
    clients: one('clients', 64),
    rate: one('rate', 300),
    listEntities: one('list-entities', sizes.listEntities),
    listKeys: list('list-keys', sizes.listKeys),
    durationS: one('duration', sizes.durationS),
    maxRequests: one('max-requests', 200_000),
    reconcileEntities: list('reconcile-entities', sizes.reconcileEntities),
    keysPerEntity: one('keys-per-entity', 3),
    baselineKeys: one('baseline-keys', sizes.baselineKeys),
    baselinePollMs: one('baseline-poll', 250),
    ops: one('ops', sizes.ops),
    opsConcurrency: one('ops-concurrency', 4),
    concurrency: given.has('concurrency') ? one('concurrency', 8) : undefined,
    seedConcurrency: one('seed-concurrency', 32),
    catalogDouble: catalog,
    phases,
    pg:
      given.get('pg') ??
      env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres:postgres@127.0.0.1:5432',
  };
}
