import { PullRateLimiter } from './PullRateLimiter';

describe('PullRateLimiter', () => {
  it('lets each store pull its limit per minute and says how long to wait after', () => {
    let now = 1_000_000;
    const limiter = PullRateLimiter.create({ perMinute: 2, now: () => now });
    expect(limiter.take('eu')).toBeUndefined();
    expect(limiter.take('eu')).toBeUndefined();
    expect(limiter.take('us')).toBeUndefined();
    now += 15_000;
    expect(limiter.take('eu')).toBe(45);
    now += 45_000;
    expect(limiter.take('eu')).toBeUndefined();
  });
});
