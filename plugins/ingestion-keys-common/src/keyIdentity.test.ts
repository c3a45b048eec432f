import { Entity } from '@backstage/catalog-model';
import {
  entityRefOf,
  holdsKeyIdentity,
  isSameKeyIdentity,
  keyIdentityOf,
  KeyTags,
  keyTagsFor,
  ownerRefOf,
} from './keyIdentity';

const spec = {
  entityRef: 'component:default/checkout',
  environment: 'production',
  type: 'thirdParty' as const,
  integration: 'otel',
};
const wanted: KeyTags = keyTagsFor(spec, 'backstage');

describe('keyIdentity', () => {
  it('tags a key with its identity and nothing else the value carries', () => {
    expect(
      keyTagsFor({ ...spec, name: 'x', id: 'y' } as any, 'portal'),
    ).toEqual({ managedBy: 'portal', ...spec });
  });

  it('gives every spelling of one entity the same identity', () => {
    expect(
      keyIdentityOf({ ...spec, entityRef: 'Component:Default/Checkout' }),
    ).toBe('component:default/checkout|production|thirdParty|otel');
  });

  it.each<[string, KeyTags | undefined, boolean]>([
    ['the same tags', { ...wanted }, true],
    [
      'the entity spelt in another case',
      { ...wanted, entityRef: 'Component:default/Checkout' },
      true,
    ],
    ['no tags', undefined, false],
    ['another portal', { ...wanted, managedBy: 'other' }, false],
    [
      'another entity',
      { ...wanted, entityRef: 'component:default/search' },
      false,
    ],
    ['another environment', { ...wanted, environment: 'staging' }, false],
    ['another type', { ...wanted, type: 'rum' }, false],
    ['another integration', { ...wanted, integration: 'firehose' }, false],
    ['no integration', { ...wanted, integration: undefined }, false],
  ])('a found key with %s is the same key: %s', (_, found, same) => {
    expect(isSameKeyIdentity(found, wanted)).toBe(same);
  });

  it('reads an entity and its owner as normalised refs', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'Checkout', namespace: 'Payments' },
      relations: [
        { type: 'dependsOn', targetRef: 'component:default/db' },
        { type: 'ownedBy', targetRef: 'group:default/Team-A' },
      ],
    };
    expect(entityRefOf(entity)).toBe('component:payments/checkout');
    expect(ownerRefOf(entity)).toBe('group:default/team-a');
    expect(ownerRefOf({ ...entity, relations: [] })).toBeUndefined();
  });

  it.each([
    [{ status: 'pending' as const }, true],
    [{ status: 'active' as const, replacesId: 'old' }, true],
    [{ status: 'pending' as const, replacesId: 'old' }, false],
  ])('a live key %j holds its identity: %s', (key, holds) => {
    expect(holdsKeyIdentity(key)).toBe(holds);
  });
});
