import { entityKeysTabPath } from './entityKeysTabPath';

describe('entityKeysTabPath', () => {
  it("links to the entity's tab in the catalog's spelling", () => {
    expect(entityKeysTabPath('Component:Default/checkout-api')).toBe(
      '/catalog/default/component/checkout-api/ingestion-keys',
    );
    expect(entityKeysTabPath('resource:team-a/orders-db')).toBe(
      '/catalog/team-a/resource/orders-db/ingestion-keys',
    );
  });

  it('refuses what is not an entity ref', () => {
    expect(() => entityKeysTabPath('not a ref')).toThrow();
  });
});
