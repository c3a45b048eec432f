import { RotationPolicy } from './RotationPolicy';

const DAY = 86_400_000;
const createdAt = '2026-01-01T00:00:00.000Z';

describe('RotationPolicy', () => {
  const policy = RotationPolicy.create({
    maxAge: [
      { environment: 'production', type: 'sensor', maxAgeMs: 30 * DAY },
      { type: 'rum', maxAgeMs: 7 * DAY },
      { maxAgeMs: 90 * DAY },
    ],
  });

  it('applies the first rule whose environment and type match', () => {
    const due = (environment: string, type: 'sensor' | 'rum' | 'thirdParty') =>
      policy
        .dueAt({ status: 'active', environment, type, createdAt })
        ?.toISOString();
    expect(due('production', 'sensor')).toBe('2026-01-31T00:00:00.000Z');
    expect(due('staging', 'rum')).toBe('2026-01-08T00:00:00.000Z');
    expect(due('staging', 'sensor')).toBe('2026-04-01T00:00:00.000Z');
  });

  it('has no due date for keys that are not active, or when no rule matches', () => {
    expect(
      policy.dueAt({
        status: 'rotating',
        environment: 'production',
        type: 'sensor',
        createdAt,
      }),
    ).toBeUndefined();
    expect(
      RotationPolicy.create({
        maxAge: [{ environment: 'production', maxAgeMs: DAY }],
      }).dueAt({
        status: 'active',
        environment: 'staging',
        type: 'sensor',
        createdAt,
      }),
    ).toBeUndefined();
  });
});
