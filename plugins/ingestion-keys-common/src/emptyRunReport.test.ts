import { emptyRunReport } from './emptyRunReport';

describe('emptyRunReport', () => {
  it('counts nothing, finished when it started', () => {
    expect(emptyRunReport('2026-01-01T00:00:00.000Z')).toEqual({
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:00.000Z',
      entitiesSeen: 0,
      keysDesired: 0,
      keysCreated: 0,
      keysAdopted: 0,
      keysRevoked: 0,
      failed: [],
      invalidEntries: [],
      undesiredCount: 0,
      storeCalls: { list: 0, create: 0 },
    });
  });

  it('gives every run lists and counters of its own', () => {
    const first = emptyRunReport('2026-01-01T00:00:00.000Z');
    first.failed.push({ entityRef: 'a', entry: 'b', reason: 'c' });
    first.storeCalls.list++;
    const second = emptyRunReport('2026-01-01T00:00:00.000Z');
    expect(second.failed).toEqual([]);
    expect(second.storeCalls).toEqual({ list: 0, create: 0 });
  });
});
