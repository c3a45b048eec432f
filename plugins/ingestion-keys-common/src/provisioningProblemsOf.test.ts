import { provisioningProblemsOf } from './provisioningProblemsOf';
import { EntityProvisioningStatus, UndesiredKey } from './types';

const undesired: UndesiredKey = {
  keyId: 'k1',
  keyName: 'orders-db-staging-rum',
  entityRef: 'resource:default/orders-db',
  environment: 'staging',
  type: 'rum',
  reason: 'entry-removed',
  since: '2026-01-01T00:00:00.000Z',
};

const statuses: EntityProvisioningStatus[] = [
  {
    entityRef: 'component:default/checkout-api',
    annotation: 'production:sensor, staging:rum, production:apm',
    entries: [
      {
        entry: 'production:sensor',
        environment: 'production',
        type: 'sensor',
        state: 'provisioned',
        keyId: 'k0',
      },
      {
        entry: 'staging:rum',
        environment: 'staging',
        type: 'rum',
        state: 'failed',
        reason: 'the key store refused it',
      },
      {
        entry: 'staging:sensor',
        environment: 'staging',
        type: 'sensor',
        state: 'pending',
      },
    ],
    invalidEntries: [
      {
        entityRef: 'component:default/checkout-api',
        entry: 'production:apm',
        reason: 'unknown type apm',
      },
    ],
    undesired: [],
  },
  {
    entityRef: 'resource:default/orders-db',
    entries: [],
    invalidEntries: [],
    undesired: [undesired],
  },
];

describe('provisioningProblemsOf', () => {
  it('gathers failed entries, invalid entries and undesired keys across entities, leaving out the rest', () => {
    expect(provisioningProblemsOf(statuses)).toEqual({
      failed: [
        {
          entityRef: 'component:default/checkout-api',
          entry: 'staging:rum',
          reason: 'the key store refused it',
        },
      ],
      invalidEntries: [
        {
          entityRef: 'component:default/checkout-api',
          entry: 'production:apm',
          reason: 'unknown type apm',
        },
      ],
      undesired: [undesired],
    });
  });

  it('finds no problem among no entities', () => {
    expect(provisioningProblemsOf([])).toEqual({
      failed: [],
      invalidEntries: [],
      undesired: [],
    });
  });
});
