import { toUndesiredKey } from './toUndesiredKey';
import { IngestionKey } from './types';

const key: IngestionKey = {
  id: 'key-1',
  name: 'api-production-thirdparty-otel',
  entityRef: 'component:default/api',
  environment: 'production',
  type: 'thirdParty',
  integration: 'otel',
  remoteConfig: false,
  status: 'active',
  origin: 'provisioned',
  provider: 'embedded',
  createdBy: 'plugin:ingestion-keys/provisioner',
  createdAt: '2025-01-01T00:00:00.000Z',
};

describe('toUndesiredKey', () => {
  it('reports the key with its reason and the time it was first marked', () => {
    expect(
      toUndesiredKey({
        ...key,
        undesiredReason: 'entity-removed',
        undesiredSince: '2025-02-01T00:00:00.000Z',
      }),
    ).toEqual({
      keyId: 'key-1',
      keyName: 'api-production-thirdparty-otel',
      entityRef: 'component:default/api',
      environment: 'production',
      type: 'thirdParty',
      integration: 'otel',
      reason: 'entity-removed',
      since: '2025-02-01T00:00:00.000Z',
    });
  });

  it('leaves out an absent integration and falls back to a removed entry since creation', () => {
    const { integration: _integration, ...withoutIntegration } = key;
    expect(toUndesiredKey(withoutIntegration)).toEqual({
      keyId: 'key-1',
      keyName: 'api-production-thirdparty-otel',
      entityRef: 'component:default/api',
      environment: 'production',
      type: 'thirdParty',
      reason: 'entry-removed',
      since: '2025-01-01T00:00:00.000Z',
    });
  });
});
