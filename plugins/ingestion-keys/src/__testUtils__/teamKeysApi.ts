import { InMemoryIngestionKeysApi } from './InMemoryIngestionKeysApi';

/**
 * An API where the signed-in user's teams own checkout-api, which has a key, and orders-db,
 * which they do not own, has another.
 */
export async function teamKeysApi() {
  const api = new InMemoryIngestionKeysApi({
    teamEntities: ['component:default/checkout-api'],
  });
  await api.createKey({
    entityRef: 'component:default/checkout-api',
    environment: 'production',
    type: 'sensor',
  });
  await api.createKey({
    entityRef: 'resource:default/orders-db',
    environment: 'production',
    type: 'thirdParty',
  });
  return api;
}
