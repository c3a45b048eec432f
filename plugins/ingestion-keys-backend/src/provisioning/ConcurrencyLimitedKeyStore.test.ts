import { InMemoryKeyStore } from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { ConcurrencyLimitedKeyStore } from './ConcurrencyLimitedKeyStore';

describe('ConcurrencyLimitedKeyStore', () => {
  it('lets at most `limit` calls reach the store at once, and all of them in the end', async () => {
    const inner = InMemoryKeyStore.create();
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const create = inner.create.bind(inner);
    jest.spyOn(inner, 'create').mockImplementation(async request => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>(resolve => releases.push(resolve));
      running--;
      return create(request);
    });
    const store = ConcurrencyLimitedKeyStore.wrap(inner, 3);

    const created = Array.from({ length: 10 }, (_, i) =>
      store.create({
        name: `key-${i}`,
        type: 'sensor',
        remoteConfig: false,
        tags: {
          managedBy: 'portal',
          entityRef: `component:default/svc-${i}`,
          environment: 'production',
          type: 'sensor',
        },
      }),
    );
    // Release whichever calls reached the store, until every create has been let through.
    while (releases.length > 0 || running > 0) {
      await new Promise(resolve => setImmediate(resolve));
      releases.splice(0).forEach(release => release());
    }
    await Promise.all(created);

    expect(most).toBe(3);
    expect(await store.list()).toHaveLength(10);
    expect(store.id).toBe(inner.id);
  });

  it('frees the slot of a call that failed', async () => {
    const inner = InMemoryKeyStore.create();
    jest.spyOn(inner, 'get').mockRejectedValueOnce(new Error('store down'));
    const store = ConcurrencyLimitedKeyStore.wrap(inner, 1);

    await expect(store.get('a')).rejects.toThrow('store down');
    await expect(store.get('a')).resolves.toBeUndefined();
  });
});
