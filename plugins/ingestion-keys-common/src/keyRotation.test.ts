import { rotationRefusal, successorOf } from './keyRotation';
import { IngestionKey } from './types';

const old = {
  id: 'key-1',
  name: 'api-production-sensor',
  entityRef: 'component:default/api',
  environment: 'production',
  type: 'sensor',
  remoteConfig: true,
  status: 'active',
  origin: 'manual',
  generation: 1,
} as const;

describe('rotationRefusal', () => {
  it.each<[Partial<IngestionKey>, string | undefined]>([
    [{ status: 'active' }, undefined],
    [
      { status: 'rotating', replacedById: 'key-2' },
      'Key api-production-sensor has already been rotated; rotate its successor instead',
    ],
    [
      { status: 'pending' },
      'Only active keys can be rotated; api-production-sensor is pending',
    ],
    [
      { status: 'revoked' },
      'Only active keys can be rotated; api-production-sensor is revoked',
    ],
  ])('for %o: %s', (change, refusal) => {
    expect(rotationRefusal({ ...old, ...change })).toBe(refusal);
  });
});

describe('successorOf', () => {
  it('keeps the identity, remote configuration and owner, one generation on', () => {
    expect(
      successorOf({
        ...old,
        integration: 'node-1',
        ownerRef: 'group:default/team',
        generation: 2,
      }),
    ).toEqual({
      entityRef: 'component:default/api',
      environment: 'production',
      type: 'sensor',
      integration: 'node-1',
      remoteConfig: true,
      origin: 'manual',
      ownerRef: 'group:default/team',
      generation: 3,
      replacesId: 'key-1',
    });
  });

  it('leaves out an absent integration and owner', () => {
    expect(successorOf(old)).toEqual({
      entityRef: 'component:default/api',
      environment: 'production',
      type: 'sensor',
      remoteConfig: true,
      origin: 'manual',
      generation: 2,
      replacesId: 'key-1',
    });
  });

  it.each([
    ['manual', 'manual'],
    ['provisioned', 'provisioned'],
    ['adopted', 'provisioned'],
  ] as const)(
    'gives the successor of a %s key the origin %s',
    (origin, expected) => {
      expect(successorOf({ ...old, origin }).origin).toBe(expected);
    },
  );
});
