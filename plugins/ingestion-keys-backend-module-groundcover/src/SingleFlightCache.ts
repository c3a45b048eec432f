export interface SingleFlightCacheOptions<T> {
  /** How long a loaded value is served; 0 keeps nothing but still shares in-flight loads. */
  ttlMs: number;
  load: () => Promise<T>;
}

/**
 * Caches one loaded value for a short time and lets concurrent callers share a single load.
 * After `invalidate()`, a load that was already in flight is neither joined nor cached, since
 * it may predate the change that caused the invalidation.
 */
export class SingleFlightCache<T> {
  private readonly ttlMs: number;
  private readonly load: () => Promise<T>;
  private generation = 0;
  private cached?: { value: T; expiresAt: number };
  private inFlight?: { generation: number; promise: Promise<T> };

  static create<T>(options: SingleFlightCacheOptions<T>): SingleFlightCache<T> {
    return new SingleFlightCache(options);
  }

  private constructor(options: SingleFlightCacheOptions<T>) {
    this.ttlMs = options.ttlMs;
    this.load = options.load;
  }

  get(): Promise<T> {
    if (this.cached && Date.now() < this.cached.expiresAt) {
      return Promise.resolve(this.cached.value);
    }
    if (this.inFlight?.generation === this.generation) {
      return this.inFlight.promise;
    }
    const generation = this.generation;
    const promise = this.load()
      .then(value => {
        if (generation === this.generation && this.ttlMs > 0) {
          this.cached = { value, expiresAt: Date.now() + this.ttlMs };
        }
        return value;
      })
      .finally(() => {
        if (this.inFlight?.promise === promise) {
          this.inFlight = undefined;
        }
      });
    this.inFlight = { generation, promise };
    return promise;
  }

  invalidate(): void {
    this.generation++;
    this.cached = undefined;
  }
}
