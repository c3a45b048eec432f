import { CreateStoredKeyRequest } from '../IngestionKeyStore';
import {
  InMemoryKeyStore,
  InMemoryKeyStoreOperation,
} from './InMemoryKeyStore';
import { runKeyStoreContractTests } from './keyStoreContractTests';

runKeyStoreContractTests('InMemoryKeyStore', async () => ({
  store: InMemoryKeyStore.create(),
}));

// Reads that lag creates, on a slow store, are still within the contract.
runKeyStoreContractTests(
  'InMemoryKeyStore with list lag and latency',
  async () => ({
    store: InMemoryKeyStore.create({ listLagMs: 50, latencyMs: 5 }),
  }),
);

const request: CreateStoredKeyRequest = {
  name: 'checkout-api-production-sensor',
  type: 'sensor',
  remoteConfig: true,
  tags: {
    managedBy: 'tests',
    entityRef: 'component:default/checkout-api',
    environment: 'production',
    type: 'sensor',
  },
};

/** Longer than any test runs: reads show no create until the test calls `catchUpList()`. */
const NEVER_MS = 60_000;

describe('InMemoryKeyStore', () => {
  it('makes keys with the prefixed secrets it reports as issued, deleted ones included', async () => {
    const store = InMemoryKeyStore.create({ id: 'fake-vendor' });
    const first = await store.create(request);
    await store.delete(request.name);
    const second = await store.create(request);

    expect(store.id).toBe('fake-vendor');
    expect(first.secret).toMatch(/^imks_[A-Za-z0-9_-]{43}$/);
    expect(store.issuedSecrets()).toEqual([first.secret, second.secret]);
    expect(store.keys()).toEqual([second]);
  });

  it.each([
    [409, 'create', 'ConflictError'],
    [429, 'create', 'ServiceUnavailableError'],
    [503, 'delete', 'ServiceUnavailableError'],
    // The outcome of a create that ended in a server error is unknown: it may pass.
    [500, 'create', 'ServiceUnavailableError'],
    [500, 'delete', 'KeyStoreError'],
    [502, 'list', 'KeyStoreError'],
    [401, 'get', 'KeyStoreError'],
    [400, 'create', 'KeyStoreError'],
  ] as const)(
    'fails a %i on %s as a real store does, with a %s',
    async (status, operation, errorName) => {
      const store = InMemoryKeyStore.create();
      store.injectFault({ operation, status, message: 'upstream said no' });
      const calls: Record<InMemoryKeyStoreOperation, () => Promise<unknown>> = {
        create: () => store.create(request),
        get: () => store.get(request.name),
        list: () => store.list(),
        delete: () => store.delete(request.name),
      };

      await expect(calls[operation]()).rejects.toMatchObject({
        name: errorName,
        message: 'upstream said no',
      });
      expect(store.keys()).toEqual([]);
      // The fault was used up: the same call succeeds now.
      await calls[operation]();
    },
  );

  it('fails only the operation and the number of calls a fault names', async () => {
    const store = InMemoryKeyStore.create();
    store.injectFault({ operation: 'delete', status: 503, times: 2 });

    await store.create(request);
    await expect(store.delete(request.name)).rejects.toThrow();
    await expect(store.delete(request.name)).rejects.toThrow();
    expect(store.keys()).toHaveLength(1);
    await store.delete(request.name);

    expect(store.keys()).toEqual([]);
    expect(store.calls).toEqual({ create: 1, get: 0, list: 0, delete: 3 });
  });

  it('commits a call whose answer is lost, and adopts the key on retry', async () => {
    const store = InMemoryKeyStore.create();
    store.injectFault({ operation: 'create', status: 500, afterCommit: true });

    await expect(store.create(request)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
    const [made] = store.keys();
    expect(made.name).toBe(request.name);

    await expect(store.create(request)).resolves.toEqual(made);
    expect(store.issuedSecrets()).toEqual([made.secret]);
  });

  it('hides a created key from reads while its list lags, until the list catches up', async () => {
    const store = InMemoryKeyStore.create({ listLagMs: NEVER_MS });
    const created = await store.create(request);

    await expect(store.get(request.name)).resolves.toBeUndefined();
    await expect(store.list()).resolves.toEqual([]);
    // Adoption does not depend on the list: the name is taken.
    await expect(store.create(request)).resolves.toEqual(created);

    store.catchUpList();
    await expect(store.get(request.name)).resolves.toEqual(created);
    expect((await store.list()).map(key => key.name)).toEqual([request.name]);
  });

  it('lets a lagging lookup that waits for visibility find the key once the lag has passed', async () => {
    const store = InMemoryKeyStore.create({ listLagMs: 100 });
    const created = await store.create(request);
    const started = Date.now();

    await expect(
      store.get(request.name, { waitForVisibility: true }),
    ).resolves.toEqual(created);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('changes lag and latency for later calls only', async () => {
    const store = InMemoryKeyStore.create({ listLagMs: NEVER_MS });
    await store.create(request);
    store.configure({ listLagMs: 0, latencyMs: 30 });
    const other = { ...request, name: 'search-api-production-sensor' };
    const started = Date.now();
    await store.create(other);

    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect((await store.list()).map(key => key.name)).toEqual([other.name]);
  });

  it('refuses a name held by a key of another type', async () => {
    const store = InMemoryKeyStore.create();
    await store.create(request);
    await expect(
      store.create({ ...request, type: 'rum', remoteConfig: false }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });
});
