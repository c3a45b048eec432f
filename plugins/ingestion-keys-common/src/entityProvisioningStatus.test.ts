import {
  entityProvisioningStatus,
  EntityProvisioningFacts,
} from './entityProvisioningStatus';
import { emptyRunReport } from './emptyRunReport';
import { ProvisioningRunReport, UndesiredKey } from './types';

const entityRef = 'component:default/api';

const run = (
  change: Partial<ProvisioningRunReport>,
): ProvisioningRunReport => ({
  ...emptyRunReport('2025-01-01T00:00:00.000Z'),
  ...change,
});

const facts = (
  change: Partial<EntityProvisioningFacts>,
): EntityProvisioningFacts => ({
  entityRef,
  annotation: 'production:sensor',
  environments: ['production', 'staging'],
  keyFor: () => undefined,
  undesired: [],
  ...change,
});

const key = (status: 'pending' | 'active' | 'rotating') => () => ({
  id: 'key-1',
  name: 'api-production-sensor',
  status,
});

const failedRun = run({
  failed: [
    { entityRef, entry: 'production:sensor', reason: 'store refused' },
    // Another entity's failure with the same entry is not this entity's.
    {
      entityRef: 'component:default/other',
      entry: 'staging:rum',
      reason: 'elsewhere',
    },
  ],
});
const stoppedRun = run({ error: 'the key store could not be listed' });

describe('entityProvisioningStatus', () => {
  it.each<[string, Partial<EntityProvisioningFacts>, object]>([
    ['pending when no key exists yet', {}, { state: 'pending' }],
    [
      'provisioned once its key is active',
      { keyFor: key('active'), lastRun: failedRun },
      {
        state: 'provisioned',
        keyId: 'key-1',
        keyName: 'api-production-sensor',
      },
    ],
    [
      'pending while its key is being made',
      { keyFor: key('pending') },
      { state: 'pending', keyId: 'key-1', keyName: 'api-production-sensor' },
    ],
    [
      'failed with the reason the last run gave for the entry',
      { lastRun: failedRun },
      { state: 'failed', reason: 'store refused' },
    ],
    [
      'failed with why the last run stopped early',
      { lastRun: stoppedRun },
      {
        state: 'failed',
        reason:
          'the last provisioning run stopped early: the key store could not be listed',
      },
    ],
    [
      'failed with the entry reason before the early stop',
      { lastRun: { ...failedRun, error: 'later' } },
      { state: 'failed', reason: 'store refused' },
    ],
    [
      'not provisioned while its key only rotates',
      { keyFor: key('rotating'), lastRun: stoppedRun },
      {
        state: 'failed',
        keyId: 'key-1',
        keyName: 'api-production-sensor',
        reason:
          'the last provisioning run stopped early: the key store could not be listed',
      },
    ],
  ])('an entry is %s', (_, change, expected) => {
    expect(entityProvisioningStatus(facts(change)).entries).toEqual([
      {
        entry: 'production:sensor',
        environment: 'production',
        type: 'sensor',
        ...expected,
      },
    ]);
  });

  it('looks keys up by the identity of each entry', () => {
    const asked: unknown[] = [];
    entityProvisioningStatus(
      facts({
        annotation: 'production:sensor, staging:thirdParty:otel',
        keyFor: spec => {
          asked.push(spec);
          return undefined;
        },
      }),
    );
    expect(asked).toEqual([
      { entityRef, environment: 'production', type: 'sensor' },
      {
        entityRef,
        environment: 'staging',
        type: 'thirdParty',
        integration: 'otel',
      },
    ]);
  });

  it('reports invalid entries and undesired keys with the annotation', () => {
    const undesired: UndesiredKey[] = [
      {
        keyId: 'key-9',
        keyName: 'api-staging-rum',
        entityRef,
        environment: 'staging',
        type: 'rum',
        reason: 'entry-removed',
        since: '2025-01-01T00:00:00.000Z',
      },
    ];
    expect(
      entityProvisioningStatus(facts({ annotation: 'moon:sensor', undesired })),
    ).toEqual({
      entityRef,
      annotation: 'moon:sensor',
      entries: [],
      invalidEntries: [
        {
          entityRef,
          entry: 'moon:sensor',
          reason: 'unknown environment "moon"; configured: production, staging',
        },
      ],
      undesired,
    });
  });

  it('has no annotation for an entity that declares nothing', () => {
    expect(entityProvisioningStatus(facts({ annotation: undefined }))).toEqual({
      entityRef,
      entries: [],
      invalidEntries: [],
      undesired: [],
    });
  });
});
