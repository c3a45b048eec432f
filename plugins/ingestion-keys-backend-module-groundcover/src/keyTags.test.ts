import { StoredKeyTags } from '@ingestion-keys/plugin-ingestion-keys-node';
import { decodeKeyTags, encodeKeyTags, KEY_TAG_NAMESPACE } from './keyTags';

const tags: StoredKeyTags = {
  managedBy: 'backstage-ingestion-keys',
  entityRef: 'component:default/checkout-api',
  environment: 'production',
  type: 'thirdParty',
  integration: 'fluent-bit',
};

/** The bare labels keys made before the namespace carry. */
const legacyTags = [
  'managed-by:backstage-ingestion-keys',
  'entity:component:default/checkout-api',
  'environment:production',
  'type:thirdParty',
  'integration:fluent-bit',
];

/** Tags groundcover sets itself (remoteConfig:true is a read permission to its ingress), or people add. */
const vendorTags = [
  'remoteConfig:true',
  'type:sensor',
  'environment:staging',
  'team:payments',
  'adhoc',
];

describe('keyTags', () => {
  it('encodes each label in its namespace and decodes it back', () => {
    expect(encodeKeyTags(tags)).toEqual([
      'ingestion-keys.backstage.io/managed-by:backstage-ingestion-keys',
      'ingestion-keys.backstage.io/entity:component:default/checkout-api',
      'ingestion-keys.backstage.io/environment:production',
      'ingestion-keys.backstage.io/type:thirdParty',
      'ingestion-keys.backstage.io/integration:fluent-bit',
    ]);
    expect(decodeKeyTags(encodeKeyTags(tags))).toEqual(tags);
  });

  it('never writes a tag that reads as a bare name:value pair, whatever the values', () => {
    const encoded = encodeKeyTags({
      ...tags,
      managedBy: 'remoteConfig:true',
      integration: 'remoteConfig:true',
    });
    for (const tag of encoded) {
      const name = tag.slice(0, tag.indexOf(':'));
      expect(name.startsWith(KEY_TAG_NAMESPACE)).toBe(true);
    }
    expect(encoded).not.toContain('remoteConfig:true');
  });

  it('leaves out a missing integration both ways', () => {
    const { integration: _integration, ...withoutIntegration } = tags;
    const encoded = encodeKeyTags(withoutIntegration);
    expect(encoded).toHaveLength(4);
    expect(decodeKeyTags(encoded)).toEqual(withoutIntegration);
  });

  it.each([
    ['our tags', encodeKeyTags(tags)],
    [
      'our tags beside those groundcover and people added, even bare labels like ours',
      [...vendorTags, ...encodeKeyTags(tags)],
    ],
    ['the bare labels of keys made before the namespace', legacyTags],
    [
      'bare labels beside tags groundcover added',
      [...legacyTags, 'remoteConfig:true', 'team:payments'],
    ],
  ])('recognises %s', (_label, value) => {
    expect(decodeKeyTags(value)).toEqual(tags);
  });

  it.each([
    ['no tags', []],
    ['foreign tags', ['team:payments', 'env:prod']],
    ['only groundcover tags', vendorTags],
    ['a missing label', encodeKeyTags(tags).slice(1)],
    [
      'an unknown type',
      [...encodeKeyTags(tags).slice(0, 3), `${KEY_TAG_NAMESPACE}type:logs`],
    ],
    [
      'a label given twice',
      [...encodeKeyTags(tags), `${KEY_TAG_NAMESPACE}environment:staging`],
    ],
    ['a bare label given twice', [...legacyTags, 'environment:staging']],
  ])('is undefined for %s', (_label, value) => {
    expect(decodeKeyTags(value)).toBeUndefined();
  });
});
