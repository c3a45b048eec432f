import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';
import {
  IngestionKey,
  IngestionKeyWithSecret,
  ProvisioningRunReport,
  ProvisioningStatusResponse,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { BackendProcess } from './BackendProcess';
import { JsonClient } from './http';
import { QueryMeter, RoundTrips } from './QueryMeter';
import { LatencySummary, nowMs, percentile, summarize } from './stats';

export const API = '/api/ingestion-keys';

/** A client of the contract server's API, as an infrastructure-as-code tool would be. */
export function groundcoverClient(server: GroundcoverContractServer) {
  return new JsonClient(server.baseUrl, {
    authorization: `Bearer ${server.apiKey}`,
    'x-backend-id': server.backendId,
  });
}

const ROUTES = {
  create: ['POST', '/api/rbac/ingestion-keys/create'],
  list: ['POST', '/api/rbac/ingestion-keys/list'],
  delete: ['DELETE', '/api/rbac/ingestion-keys/delete'],
} as const;

export interface ReconcileResult {
  report: ProvisioningRunReport;
  /** The run itself, from its report. */
  runMs: number;
  /** From the trigger request until the report was visible through the API. */
  observedMs: number;
  /** Calls the contract server received during the run. */
  serverCalls: { create: number; list: number; delete: number };
  keysPerSecond: number;
  /** CPU time the backend process used from the trigger to the report. */
  backendCpuMs: number;
}

/**
 * Triggers a provisioning run through the admin route and waits for its report through the
 * status route, polling 4 times a second, for at most `timeoutMs`.
 */
export async function reconcile(
  backend: BackendProcess,
  server: GroundcoverContractServer,
  timeoutMs: number,
): Promise<ReconcileResult> {
  const status = async () =>
    (
      await backend.api.expect<ProvisioningStatusResponse>(
        200,
        'GET',
        `${API}/v1/provisioning/status`,
      )
    ).body;
  const before = (await status()).lastRun?.startedAt;
  server.resetCalls();
  const cpuBefore = backend.cpuMs();
  const triggered = nowMs();
  await backend.api.expect(202, 'POST', `${API}/v1/provisioning/run`);
  const deadline = triggered + timeoutMs;
  for (;;) {
    const { lastRun } = await status();
    if (lastRun && lastRun.startedAt !== before) {
      const observedMs = nowMs() - triggered;
      const runMs =
        new Date(lastRun.finishedAt).getTime() -
        new Date(lastRun.startedAt).getTime();
      return {
        report: lastRun,
        runMs,
        observedMs,
        serverCalls: server.calls,
        keysPerSecond: lastRun.keysCreated / (runMs / 1000),
        backendCpuMs: backend.cpuMs() - cpuBefore,
      };
    }
    if (nowMs() > deadline) {
      throw new Error(
        `the provisioning run did not finish within ${timeoutMs / 1000} s`,
      );
    }
    await sleep(250);
  }
}

export interface LoadResult {
  latency: LatencySummary;
  requestsPerSecond: number;
  errors: number;
  elapsedMs: number;
}

/**
 * `clients` concurrent loops, each sending the next request as soon as its previous one is
 * answered, until `durationMs` has passed or `maxRequests` were sent.
 */
export async function load(
  client: JsonClient,
  nextPath: () => string,
  clients: number,
  durationMs: number,
  maxRequests: number,
  check?: (path: string, body: any) => boolean,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = nowMs();
  const deadline = started + durationMs;
  const worker = async () => {
    while (nowMs() < deadline && sent < maxRequests) {
      sent++;
      const ms = await timedGet(client, nextPath(), check);
      if (ms === undefined) {
        errors++;
      } else {
        latencies.push(ms);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return loadResult(latencies, errors, started);
}

/**
 * `clients` clients sending `rate` requests per second between them on a fixed schedule (an
 * open workload, like users opening the entity tab), until `durationMs` has passed. A client
 * whose previous request is still open sends late, and the latency counts from when the
 * request was due, so that a slow server cannot hide its queueing (no coordinated omission).
 */
export async function loadAtRate(
  client: JsonClient,
  nextPath: () => string,
  clients: number,
  rate: number,
  durationMs: number,
  check?: (path: string, body: any) => boolean,
): Promise<LoadResult> {
  const latencies: number[] = [];
  /** Every answer as [due ms since start, latency ms], for BENCH_TRACE. */
  const trace: Array<[number, number]> = [];
  let errors = 0;
  const started = nowMs();
  const total = Math.floor((rate * durationMs) / 1000);
  const worker = async (index: number) => {
    for (let n = index; n < total; n += clients) {
      const due = started + (n * 1000) / rate;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      if ((await timedGet(client, nextPath(), check)) === undefined) {
        errors++;
      } else {
        latencies.push(nowMs() - due);
        trace.push([due - started, nowMs() - due]);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => worker(i)));
  if (process.env.BENCH_TRACE) {
    appendFileSync(
      process.env.BENCH_TRACE,
      trace
        .sort((a, b) => a[0] - b[0])
        .map(([due, latency]) => `${due.toFixed(1)},${latency.toFixed(2)}\n`)
        .join(''),
    );
  }
  return loadResult(latencies, errors, started);
}

/** The latency of one GET, or undefined when it failed or its answer is wrong. */
async function timedGet(
  client: JsonClient,
  path: string,
  check?: (path: string, body: any) => boolean,
): Promise<number | undefined> {
  try {
    const result = await client.call('GET', path);
    const ok =
      result.status === 200 &&
      (check === undefined || check(path, result.body));
    return ok ? result.ms : undefined;
  } catch {
    return undefined;
  }
}

function loadResult(
  latencies: number[],
  errors: number,
  started: number,
): LoadResult {
  const elapsedMs = nowMs() - started;
  return {
    latency: summarize(latencies),
    requestsPerSecond: latencies.length / (elapsedMs / 1000),
    errors,
    elapsedMs,
  };
}

/** The time of a list of every key, as the store answers it (median of `times` calls). */
export async function timeStoreList(
  server: GroundcoverContractServer,
  times = 3,
): Promise<{ ms: number; keys: number; bytes: number }> {
  const client = groundcoverClient(server);
  try {
    const runs: number[] = [];
    let keys = 0;
    let bytes = 0;
    for (let i = 0; i < times; i++) {
      const result = await client.expect<unknown[]>(200, ...ROUTES.list, {});
      runs.push(result.ms);
      keys = result.body.length;
      bytes = JSON.stringify(result.body).length;
    }
    return { ms: percentile(runs, 50), keys, bytes };
  } finally {
    client.close();
  }
}

export interface IacBaselineResult {
  keys: number;
  /** Keys in flight at once: 1, or Terraform's default `-parallelism=10`. */
  parallelism: number;
  elapsedMs: number;
  keysPerSecond: number;
  createCalls: number;
  listCalls: number;
  /** Average wait per key for list to show it, after the create answered. */
  waitPerKeyMs: number;
}

/**
 * The way infrastructure-as-code tools provision keys: each key is created, then a list
 * filtered by its name is polled until the key shows up (at most 30 s), with `parallelism`
 * keys in flight at once, as Terraform walks independent resources.
 */
export async function iacBaseline(
  server: GroundcoverContractServer,
  keys: number,
  pollMs: number,
  parallelism: number,
): Promise<IacBaselineResult> {
  const client = groundcoverClient(server);
  let createCalls = 0;
  let listCalls = 0;
  let waited = 0;
  let next = 0;
  const provisionOne = async (i: number) => {
    const name = `iac-baseline-${parallelism}-${i}`;
    createCalls++;
    await client.expect(201, ...ROUTES.create, {
      name,
      type: 'sensor',
      remoteConfig: false,
      tags: ['managed-by:terraform', `index:${i}`],
    });
    const created = nowMs();
    const deadline = created + 30_000;
    for (;;) {
      listCalls++;
      const listed = await client.expect<Array<{ name: string }>>(
        200,
        ...ROUTES.list,
        { name },
      );
      if (listed.body.some(k => k.name === name)) break;
      if (nowMs() > deadline) {
        throw new Error(`baseline key ${name} never showed up in list`);
      }
      await sleep(pollMs);
    }
    waited += nowMs() - created;
  };
  const started = nowMs();
  try {
    await Promise.all(
      Array.from({ length: Math.min(parallelism, keys) }, async () => {
        while (next < keys) await provisionOne(next++);
      }),
    );
  } finally {
    client.close();
  }
  const elapsedMs = nowMs() - started;
  return {
    keys,
    parallelism,
    elapsedMs,
    keysPerSecond: keys / (elapsedMs / 1000),
    createCalls,
    listCalls,
    waitPerKeyMs: waited / keys,
  };
}

/** Latencies of the bare store calls each operation needs, one call at a time. */
export async function storeCallLatencies(
  server: GroundcoverContractServer,
  count: number,
): Promise<Record<'create' | 'listByName' | 'delete', LatencySummary>> {
  const client = groundcoverClient(server);
  const times = {
    create: [] as number[],
    listByName: [] as number[],
    delete: [] as number[],
  };
  try {
    for (let i = 0; i < count; i++) {
      const name = `raw-call-${i}`;
      times.create.push(
        (
          await client.expect(201, ...ROUTES.create, {
            name,
            type: 'thirdParty',
            tags: [],
          })
        ).ms,
      );
      times.listByName.push(
        (await client.expect(200, ...ROUTES.list, { name })).ms,
      );
      times.delete.push(
        (await client.expect(202, ...ROUTES.delete, { name })).ms,
      );
    }
  } finally {
    client.close();
  }
  return {
    create: summarize(times.create),
    listByName: summarize(times.listByName),
    delete: summarize(times.delete),
  };
}

export type Operation = 'create' | 'reveal' | 'rotate' | 'revoke';

export interface OperationResult {
  latency: LatencySummary;
  /** Contract server calls per operation. */
  storeCalls: number;
  roundTrips: RoundTrips;
}

async function timed<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<number>,
): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        times.push(await task(items[next++]));
      }
    }),
  );
  return times;
}

/**
 * Creates `entityRefs.length` keys through the API, then reveals, rotates and revokes (the
 * rotated-out key, as after a rotation) each of them.
 */
export async function operations(
  backend: BackendProcess,
  server: GroundcoverContractServer,
  meter: QueryMeter,
  entityRefs: string[],
  concurrency: number,
  listLagMs: number,
): Promise<Record<Operation, OperationResult>> {
  const api = backend.api;
  const calls = () => {
    const c = server.calls;
    return c.create + c.list + c.delete;
  };
  const results = {} as Record<Operation, OperationResult>;
  const measure = async <T>(
    operation: Operation,
    items: T[],
    task: (item: T) => Promise<number>,
  ) => {
    const before = calls();
    const { result: times, roundTrips } = await meter.measure(
      items.length,
      () => timed(items, concurrency, task),
    );
    results[operation] = {
      latency: summarize(times),
      storeCalls: (calls() - before) / items.length,
      roundTrips,
    };
  };

  const created: IngestionKey[] = [];
  await measure('create', entityRefs, async entityRef => {
    const result = await api.expect<IngestionKeyWithSecret>(
      201,
      'POST',
      `${API}/v1/keys`,
      {
        entityRef,
        environment: 'staging',
        type: 'thirdParty',
        integration: 'bench-ops',
      },
    );
    created.push(result.body.key);
    return result.ms;
  });
  // Reveal keys that groundcover's lagging list already shows, as it does for any key
  // older than the lag; a reveal right after the create would wait for the lag.
  await sleep(listLagMs + 100);
  await measure(
    'reveal',
    created,
    async key =>
      (
        await api.expect(200, 'POST', `${API}/v1/keys/${key.id}/reveal`)
      ).ms,
  );
  await measure(
    'rotate',
    created,
    async key =>
      (
        await api.expect(201, 'POST', `${API}/v1/keys/${key.id}/rotate`)
      ).ms,
  );
  await measure(
    'revoke',
    created,
    async key =>
      (
        await api.expect(200, 'DELETE', `${API}/v1/keys/${key.id}`)
      ).ms,
  );
  return results;
}
