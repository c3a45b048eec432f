import { isRotationDue } from './isRotationDue';

describe('isRotationDue', () => {
  const now = new Date('2026-03-01T00:00:00.000Z');

  it('is due once the due time has passed, not before, nor without one', () => {
    expect(
      isRotationDue({ rotationDueAt: '2026-02-28T00:00:00.000Z' }, now),
    ).toBe(true);
    expect(
      isRotationDue({ rotationDueAt: '2026-03-02T00:00:00.000Z' }, now),
    ).toBe(false);
    expect(isRotationDue({}, now)).toBe(false);
  });
});
