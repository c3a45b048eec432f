import { formatRelativeTime } from './formatRelativeTime';

const now = new Date('2026-03-10T12:00:00Z');
const at = (offsetSeconds: number) =>
  formatRelativeTime(new Date(now.getTime() + offsetSeconds * 1000), now);

describe('formatRelativeTime', () => {
  it('uses the largest unit that fits', () => {
    expect(at(0)).toBe('now');
    expect(at(-30)).toBe('30 seconds ago');
    expect(at(-150)).toBe('2 minutes ago');
    expect(at(-3 * 3600)).toBe('3 hours ago');
    expect(at(-24 * 3600)).toBe('yesterday');
    expect(at(-10 * 24 * 3600)).toBe('last week');
    expect(at(-400 * 24 * 3600)).toBe('last year');
  });

  it('handles times in the future', () => {
    expect(at(2 * 3600)).toBe('in 2 hours');
  });
});
