import {
  EntityIngestionKeysCard,
  EntityIngestionKeysContent,
  ingestionKeysApiRef,
  IngestionKeysPage,
  ingestionKeysPlugin,
} from './index';

describe('ingestion-keys plugin (legacy frontend system)', () => {
  it('provides the API, the page, the entity tab and the card', () => {
    expect(ingestionKeysPlugin.getId()).toBe('ingestion-keys');
    expect(
      [...ingestionKeysPlugin.getApis()].map(factory => factory.api.id),
    ).toEqual([ingestionKeysApiRef.id]);
    expect(Object.keys(ingestionKeysPlugin.routes)).toEqual([
      'root',
      'entityContent',
    ]);
    for (const extension of [
      IngestionKeysPage,
      EntityIngestionKeysContent,
      EntityIngestionKeysCard,
    ]) {
      expect(extension).toBeDefined();
    }
  });
});
