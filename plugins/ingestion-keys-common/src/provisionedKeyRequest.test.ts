import { provisionedKeyRequest } from './provisionedKeyRequest';

describe('provisionedKeyRequest', () => {
  it.each([
    [
      {
        entityRef: 'component:default/api',
        environment: 'prod',
        type: 'sensor',
      },
      true,
    ],
    [
      { entityRef: 'component:default/api', environment: 'prod', type: 'rum' },
      false,
    ],
    [
      {
        entityRef: 'component:default/api',
        environment: 'prod',
        type: 'thirdParty',
        integration: 'otel',
      },
      false,
    ],
  ] as const)('asks for %o with remoteConfig %s', (spec, remoteConfig) => {
    expect(provisionedKeyRequest(spec)).toEqual({ ...spec, remoteConfig });
  });
});
