import { createRouteRef } from '@backstage/core-plugin-api';

/** The org-wide keys page. */
export const rootRouteRef = createRouteRef({ id: 'ingestion-keys' });

/** The Ingestion Keys tab of an entity page. */
export const entityContentRouteRef = createRouteRef({
  id: 'ingestion-keys:entity-content',
});
