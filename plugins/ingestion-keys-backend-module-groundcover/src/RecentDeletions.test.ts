import { RecentDeletions } from './RecentDeletions';

describe('RecentDeletions', () => {
  afterEach(() => jest.useRealTimers());

  it('hides deleted ids of a name, not other keys of that name', () => {
    const deletions = RecentDeletions.create({ ttlMs: 1000 });
    deletions.record('checkout', ['old-id']);
    expect(deletions.hides({ name: 'checkout', providerKeyId: 'old-id' })).toBe(
      true,
    );
    expect(deletions.hides({ name: 'checkout', providerKeyId: 'new-id' })).toBe(
      false,
    );
    expect(deletions.hides({ name: 'other', providerKeyId: 'old-id' })).toBe(
      false,
    );
  });

  it('hides a whole name whose ids were unknown until the name is created again', () => {
    const deletions = RecentDeletions.create({ ttlMs: 1000 });
    deletions.record('checkout', []);
    expect(deletions.hides({ name: 'checkout', providerKeyId: 'any' })).toBe(
      true,
    );
    deletions.forgetName('checkout');
    expect(deletions.hides({ name: 'checkout', providerKeyId: 'any' })).toBe(
      false,
    );
  });

  it('forgets deletions after the ttl', () => {
    jest.useFakeTimers();
    const deletions = RecentDeletions.create({ ttlMs: 1000 });
    deletions.record('checkout', ['old-id']);
    jest.advanceTimersByTime(1000);
    expect(deletions.hides({ name: 'checkout', providerKeyId: 'old-id' })).toBe(
      false,
    );
  });
});
