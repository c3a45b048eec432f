/**
 * Bounds how often each External Secrets store may pull, per backend instance, in fixed
 * one-minute windows: a store refreshing far faster than its `refreshInterval` says is
 * misconfigured or someone else holding its token.
 */
export class PullRateLimiter {
  static create(options: { perMinute: number; now?: () => number }) {
    return new PullRateLimiter(options.perMinute, options.now ?? Date.now);
  }

  private readonly windows = new Map<
    string,
    { start: number; count: number }
  >();

  private constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Counts a pull; the seconds to wait when the store is over its limit, else undefined. */
  take(store: string): number | undefined {
    const now = this.now();
    const window = this.windows.get(store);
    if (!window || now - window.start >= 60_000) {
      this.windows.set(store, { start: now, count: 1 });
      return undefined;
    }
    if (window.count >= this.perMinute) {
      return Math.ceil((window.start + 60_000 - now) / 1000);
    }
    window.count++;
    return undefined;
  }
}
