import { KeyDeliveryTarget } from '@ingestion-keys/plugin-ingestion-keys-common';
import { keyResponse } from '../../__testUtils__/keyResponse';
import {
  describeLastDelivery,
  targetsOfKey,
  worstDeliveryState,
} from './deliverySummary';

const now = new Date('2026-01-02T12:00:00.000Z');

const target: KeyDeliveryTarget = {
  id: 't1',
  entityRef: keyResponse.entityRef,
  environment: keyResponse.environment,
  type: keyResponse.type,
  target: 'kubernetes:prod-eu/groundcover',
  kind: 'kubernetes',
  pull: false,
  origin: 'manual',
  addedBy: 'user:default/alice',
  addedAt: '2026-01-01T00:00:00.000Z',
};

const delivery = {
  keyId: 'k1',
  keyName: keyResponse.name,
  generation: 1,
  at: '2026-01-02T11:55:00.000Z',
};

describe('targetsOfKey', () => {
  it("gives a live key its identity's targets and a revoked key none", () => {
    const other = { ...target, id: 't2', environment: 'staging' };
    expect(targetsOfKey([target, other], keyResponse)).toEqual([target]);
    expect(
      targetsOfKey([target], { ...keyResponse, status: 'revoked' }),
    ).toEqual([]);
  });
});

describe('worstDeliveryState', () => {
  it('puts a failure first, then a target without a delivery', () => {
    const delivered = {
      ...target,
      lastDelivery: { ...delivery, outcome: 'delivered' as const },
    };
    const failed = {
      ...target,
      lastDelivery: { ...delivery, outcome: 'failed' as const },
    };
    expect(worstDeliveryState([delivered, target, failed])).toBe('failed');
    expect(worstDeliveryState([delivered, target])).toBe('pending');
    expect(worstDeliveryState([delivered])).toBe('delivered');
    expect(worstDeliveryState([])).toBeUndefined();
  });
});

describe('describeLastDelivery', () => {
  it('says where the key went, why it failed, or that nothing happened yet', () => {
    expect(
      describeLastDelivery(
        {
          ...target,
          lastDelivery: {
            ...delivery,
            outcome: 'delivered',
            location: 'Secret api-key in groundcover',
          },
        },
        now,
      ),
    ).toBe(
      'Delivered 5 minutes ago: Secret api-key in groundcover (checkout-api-production-sensor)',
    );
    expect(
      describeLastDelivery(
        {
          ...target,
          lastDelivery: {
            ...delivery,
            outcome: 'failed',
            error: 'namespace not found',
          },
        },
        now,
      ),
    ).toBe('Failed 5 minutes ago: namespace not found');
    expect(describeLastDelivery(target, now)).toBe('Not delivered yet');
    expect(describeLastDelivery({ ...target, pull: true }, now)).toMatch(
      /^Not fetched yet/,
    );
  });
});
