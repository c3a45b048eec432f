import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { ingestionKeysApiFactory } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The ingestion-keys plugin for the legacy frontend system.
 *
 * @public
 */
export const ingestionKeysPlugin = createPlugin({
  id: 'ingestion-keys',
  apis: [ingestionKeysApiFactory],
  routes: { root: rootRouteRef, entityContent: entityContentRouteRef },
});

/**
 * Every key across the catalog, for administrators. Mount it at `/ingestion-keys`.
 *
 * @public
 */
export const IngestionKeysPage = ingestionKeysPlugin.provide(
  createRoutableExtension({
    name: 'IngestionKeysPage',
    component: () =>
      import('./components/IngestionKeysPage/IngestionKeysPage').then(
        m => m.IngestionKeysPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Ingestion Keys tab of an entity page.
 *
 * @public
 */
export const EntityIngestionKeysContent = ingestionKeysPlugin.provide(
  createRoutableExtension({
    name: 'EntityIngestionKeysContent',
    component: () =>
      import(
        './components/EntityIngestionKeysContent/EntityIngestionKeysContent'
      ).then(m => m.EntityIngestionKeysContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * An overview card: the entity's keys per environment.
 *
 * @public
 */
export const EntityIngestionKeysCard = ingestionKeysPlugin.provide(
  createComponentExtension({
    name: 'EntityIngestionKeysCard',
    component: {
      lazy: () =>
        import(
          './components/EntityIngestionKeysCard/EntityIngestionKeysCard'
        ).then(m => m.EntityIngestionKeysCard),
    },
  }),
);
