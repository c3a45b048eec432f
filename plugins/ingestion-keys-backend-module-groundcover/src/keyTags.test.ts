import { StoredKeyTags } from '@ingestion-keys/plugin-ingestion-keys-node';
import { decodeKeyTags, encodeKeyTags } from './keyTags';

const tags: StoredKeyTags = {
  managedBy: 'backstage-ingestion-keys',
  entityRef: 'component:default/checkout-api',
  environment: 'production',
  type: 'thirdParty',
  integration: 'fluent-bit',
};

describe('keyTags', () => {
  it('encodes each label as prefix:value and decodes it back', () => {
    expect(encodeKeyTags(tags)).toEqual([
      'managed-by:backstage-ingestion-keys',
      'entity:component:default/checkout-api',
      'environment:production',
      'type:thirdParty',
      'integration:fluent-bit',
    ]);
    expect(decodeKeyTags(encodeKeyTags(tags))).toEqual(tags);
  });

  it('leaves out a missing integration both ways', () => {
    const { integration: _integration, ...withoutIntegration } = tags;
    const encoded = encodeKeyTags(withoutIntegration);
    expect(encoded).toHaveLength(4);
    expect(decodeKeyTags(encoded)).toEqual(withoutIntegration);
  });

  it('ignores tags people added in groundcover', () => {
    expect(
      decodeKeyTags([...encodeKeyTags(tags), 'team:payments', 'adhoc']),
    ).toEqual(tags);
  });

  it.each([
    ['no tags', []],
    ['foreign tags', ['team:payments', 'env:prod']],
    ['a missing label', encodeKeyTags(tags).slice(1)],
    ['an unknown type', [...encodeKeyTags(tags).slice(0, 3), 'type:logs']],
    ['a label given twice', [...encodeKeyTags(tags), 'environment:staging']],
  ])('is undefined for %s', (_label, value) => {
    expect(decodeKeyTags(value)).toBeUndefined();
  });
});
