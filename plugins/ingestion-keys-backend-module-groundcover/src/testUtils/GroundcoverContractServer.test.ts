import { setTimeout as sleep } from 'node:timers/promises';
import { GroundcoverContractServer } from './GroundcoverContractServer';

/** Longer than any test runs: list does not catch up unless told to. */
const LONG_LAG_MS = 60_000;

describe('GroundcoverContractServer', () => {
  let server: GroundcoverContractServer;

  beforeEach(async () => {
    server = await GroundcoverContractServer.start({
      nonInCloudBackendIds: ['onprem'],
    });
  });

  afterEach(() => server.stop());

  function call(
    route: 'create' | 'list' | 'delete',
    body: unknown,
    init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
  ) {
    const method = route === 'delete' ? 'DELETE' : 'POST';
    return fetch(`${server.baseUrl}/api/rbac/ingestion-keys/${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${server.apiKey}`,
        'X-Backend-Id': server.backendId,
        'Content-Type': 'application/json',
        ...init.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: init.signal,
    });
  }

  it('creates keys with tags null when none were given and no creationDate', async () => {
    const res = await call('create', {
      name: 'k8s-prod-eu-central-1',
      type: 'sensor',
    });
    expect(res.status).toBe(201);
    const key = await res.json();
    expect(key).toEqual({
      id: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      name: 'k8s-prod-eu-central-1',
      key: expect.stringMatching(/^gcik_[0-9a-f]{64}$/),
      type: 'sensor',
      remoteConfig: false,
      tags: null,
      createdBy: 'contract-service-account',
    });
    expect(server.keys()).toEqual([key]);
  });

  it('knows every key value it issued, those of deleted keys included', async () => {
    const seeded = server.seedKey({ name: 'seeded' });
    const created = await (
      await call('create', { name: 'created', type: 'rum' })
    ).json();
    await call('delete', { name: 'created' });
    expect(server.keys()).toEqual([seeded]);
    expect(server.issuedSecrets()).toEqual([seeded.key, created.key]);
  });

  it('answers 409 for a taken name and 400 for a bad name or type', async () => {
    server.seedKey({ name: 'taken' });
    expect((await call('create', { name: 'taken', type: 'rum' })).status).toBe(
      409,
    );
    expect(
      (await call('create', { name: 'Bad_Name', type: 'rum' })).status,
    ).toBe(400);
    expect(
      (await call('create', { name: 'fine', type: 'Sensor' })).status,
    ).toBe(400);
  });

  it('lists a bare array with secrets, filtered, and requires a JSON body', async () => {
    const seeded = server.seedKey({ name: 'a', type: 'rum', tags: ['x'] });
    server.seedKey({ name: 'b', type: 'sensor', remoteConfig: true });

    const all = await call('list', {});
    expect(all.status).toBe(200);
    expect(await all.json()).toHaveLength(2);
    expect(await (await call('list', { name: 'a' })).json()).toEqual([seeded]);
    expect(
      await (await call('list', { remoteConfig: true })).json(),
    ).toMatchObject([{ name: 'b' }]);
    expect((await call('list', undefined)).status).toBe(400);
  });

  it('deletes by name with a body on DELETE: 202, then 404', async () => {
    server.seedKey({ name: 'doomed' });
    const res = await call('delete', { name: 'doomed' });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    expect((await call('delete', { name: 'doomed' })).status).toBe(404);
    expect(server.keys()).toEqual([]);
  });

  it('checks the API key and the backend', async () => {
    const badKey = await call(
      'list',
      {},
      { headers: { Authorization: 'Bearer nope' } },
    );
    expect(badKey.status).toBe(401);
    const onPrem = await call(
      'list',
      {},
      { headers: { 'X-Backend-Id': 'onprem' } },
    );
    expect(onPrem.status).toBe(400);
    expect((await onPrem.json()).message).toContain('inCloud backends');
  });

  it('answers 404 and 405 off the contract', async () => {
    expect((await fetch(`${server.baseUrl}/api/other`)).status).toBe(404);
    expect(
      (await fetch(`${server.baseUrl}/api/rbac/ingestion-keys/list`)).status,
    ).toBe(405);
  });

  it('lags list behind creates and deletes until the lag has passed', async () => {
    server.configure({ listLagMs: 20 });
    await call('create', { name: 'lagging', type: 'sensor' });
    await sleep(40);
    expect(await (await call('list', {})).json()).toHaveLength(1);

    await call('delete', { name: 'lagging' });
    expect(server.keys()).toEqual([]);
    await sleep(40);
    expect(await (await call('list', {})).json()).toEqual([]);
  });

  it('lags list behind creates and deletes until it catches up', async () => {
    server.configure({ listLagMs: LONG_LAG_MS });
    await call('create', { name: 'lagging', type: 'sensor' });
    expect(server.keys()).toHaveLength(1);
    expect(await (await call('list', {})).json()).toEqual([]);
    server.catchUpList();
    expect(await (await call('list', {})).json()).toHaveLength(1);

    await call('delete', { name: 'lagging' });
    expect(server.keys()).toEqual([]);
    expect(await (await call('list', {})).json()).toHaveLength(1);
    server.catchUpList();
    expect(await (await call('list', {})).json()).toEqual([]);
  });

  it('keeps each write’s lag when the lag changes and can catch up with creates only', async () => {
    server.configure({ listLagMs: LONG_LAG_MS });
    await call('create', { name: 'early', type: 'sensor' });
    server.configure({ listLagMs: 0 });
    await call('create', { name: 'late', type: 'sensor' });
    expect(await (await call('list', {})).json()).toMatchObject([
      { name: 'late' },
    ]);

    server.configure({ listLagMs: LONG_LAG_MS });
    await call('delete', { name: 'early' });
    server.catchUpList({ deletes: false });
    const listed = await (await call('list', {})).json();
    expect(listed.map((key: { name: string }) => key.name)).toEqual([
      'early',
      'late',
    ]);
    server.catchUpList();
    expect(await (await call('list', {})).json()).toMatchObject([
      { name: 'late' },
    ]);
  });

  it('injects faults in order, per route, and counts every call', async () => {
    server.injectFault({
      route: 'create',
      kind: 'status',
      status: 503,
      times: 2,
    });
    server.injectFault({ kind: 'status', status: 429, message: 'slow down' });

    const list = await call('list', {});
    expect(list.status).toBe(429);
    expect(await list.json()).toEqual({ message: 'slow down' });
    expect((await call('create', { name: 'x', type: 'rum' })).status).toBe(503);
    expect((await call('create', { name: 'x', type: 'rum' })).status).toBe(503);
    expect((await call('create', { name: 'x', type: 'rum' })).status).toBe(201);
    expect(server.calls).toEqual({ create: 3, list: 1, delete: 0 });
    server.resetCalls();
    expect(server.calls).toEqual({ create: 0, list: 0, delete: 0 });
  });

  it('commits before failing with afterCommit', async () => {
    server.injectFault({ route: 'create', kind: 'drop', afterCommit: true });
    await expect(
      call('create', { name: 'committed', type: 'rum' }),
    ).rejects.toThrow();
    expect(server.keys()).toMatchObject([{ name: 'committed' }]);
  });

  it('never answers a timeout fault', async () => {
    server.injectFault({ route: 'list', kind: 'timeout' });
    await expect(
      call('list', {}, { signal: AbortSignal.timeout(30) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('adds latency and lets tests wait for calls', async () => {
    server.configure({ latencyMs: 20 });
    const started = Date.now();
    const pending = call('list', {});
    await server.waitForCalls('list', 1);
    await pending;
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
    await expect(server.waitForCalls('list', 1)).resolves.toBeUndefined();
  });

  it('holds an answer back after the call took effect, until it is released', async () => {
    const held = server.holdAnswer('create');
    let answered = false;
    const pending = call('create', { name: 'held', type: 'rum' }).then(res => {
      answered = true;
      return res;
    });
    await held.ready;
    expect(server.keys()).toMatchObject([{ name: 'held' }]);
    expect((await call('list', {})).status).toBe(200);
    expect(answered).toBe(false);

    held.release();
    expect((await pending).status).toBe(201);
    expect((await call('create', { name: 'next', type: 'rum' })).status).toBe(
      201,
    );
  });

  it('ends calls waiting on a held answer or on latency when it stops', async () => {
    const outcome = (response: Promise<Response>) =>
      response.then(
        () => 'answered',
        () => 'failed',
      );
    const hold = server.holdAnswer('create');
    const held = outcome(call('create', { name: 'held', type: 'rum' }));
    await hold.ready;
    server.configure({ latencyMs: LONG_LAG_MS });
    const slow = outcome(call('list', {}));
    await server.waitForCalls('list', 1);

    await server.stop();
    await expect(held).resolves.toBe('failed');
    await expect(slow).resolves.toBe('failed');
  });
});
