import { SingleFlightCache } from './SingleFlightCache';

function deferredLoads() {
  const pending: Array<(value: number) => void> = [];
  const load = jest.fn(
    () => new Promise<number>(resolve => pending.push(resolve)),
  );
  return { load, resolveNext: (value: number) => pending.shift()!(value) };
}

describe('SingleFlightCache', () => {
  it('shares one load between concurrent callers and caches its value', async () => {
    const { load, resolveNext } = deferredLoads();
    const cache = SingleFlightCache.create({ ttlMs: 60_000, load });
    const first = cache.get();
    const second = cache.get();
    resolveNext(1);
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
    await expect(cache.get()).resolves.toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads again after invalidate, without joining or caching the stale load', async () => {
    const { load, resolveNext } = deferredLoads();
    const cache = SingleFlightCache.create({ ttlMs: 60_000, load });
    const stale = cache.get();
    cache.invalidate();
    const fresh = cache.get();
    expect(load).toHaveBeenCalledTimes(2);
    resolveNext(1);
    resolveNext(2);
    await expect(stale).resolves.toBe(1);
    await expect(fresh).resolves.toBe(2);
    await expect(cache.get()).resolves.toBe(2);
  });

  it('does not keep a failed load', async () => {
    const load = jest
      .fn()
      .mockRejectedValueOnce(new Error('boom'))
      .mockResolvedValueOnce(2);
    const cache = SingleFlightCache.create({ ttlMs: 60_000, load });
    await expect(cache.get()).rejects.toThrow('boom');
    await expect(cache.get()).resolves.toBe(2);
  });

  it('keeps nothing with a ttl of 0 but still shares a load in flight', async () => {
    const { load, resolveNext } = deferredLoads();
    const cache = SingleFlightCache.create({ ttlMs: 0, load });
    const both = Promise.all([cache.get(), cache.get()]);
    resolveNext(1);
    await both;
    const third = cache.get();
    resolveNext(3);
    await expect(third).resolves.toBe(3);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('expires the value after the ttl', async () => {
    jest.useFakeTimers();
    try {
      const load = jest.fn().mockResolvedValue(1);
      const cache = SingleFlightCache.create({ ttlMs: 1000, load });
      await cache.get();
      jest.advanceTimersByTime(999);
      await cache.get();
      jest.advanceTimersByTime(1);
      await cache.get();
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
