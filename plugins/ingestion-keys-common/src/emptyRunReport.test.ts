import { emptyRunReport } from './emptyRunReport';

describe('emptyRunReport', () => {
  it('counts nothing, finished when it started', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const {
      startedAt,
      finishedAt,
      failed,
      invalidEntries,
      storeCalls,
      ...rest
    } = emptyRunReport(at);
    expect({
      startedAt,
      finishedAt,
      failed,
      invalidEntries,
      storeCalls,
    }).toEqual({
      startedAt: at,
      finishedAt: at,
      failed: [],
      invalidEntries: [],
      storeCalls: { list: 0, create: 0 },
    });
    // Every other field is a counter at zero (and there is no error).
    expect(Object.entries(rest).filter(([, value]) => value !== 0)).toEqual([]);
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
