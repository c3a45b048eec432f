import { Entity } from '@backstage/catalog-model';
import { AlertApi, alertApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReactElement } from 'react';
import { IngestionKeysApi, ingestionKeysApiRef } from '../api';
import { InMemoryIngestionKeysApi } from './InMemoryIngestionKeysApi';

export const testEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
};
export const testEntityRef = 'component:default/checkout-api';

/**
 * Renders plugin UI in a legacy test app: with the given (or an empty in-memory) ingestion-keys
 * API, a permission API (allowing all unless given), optionally an alert API to watch, inside the
 * test entity, with the catalog's entity route mounted for user and entity links.
 */
export function renderInPluginApp(
  element: ReactElement,
  options: {
    api?: IngestionKeysApi;
    permissionApi?: ReturnType<typeof mockApis.permission>;
    alertApi?: Pick<AlertApi, 'post'>;
    entity?: Entity;
    /** Where the app starts, e.g. with a query string. */
    routeEntries?: string[];
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [ingestionKeysApiRef, options.api ?? new InMemoryIngestionKeysApi()],
        [permissionApiRef, options.permissionApi ?? mockApis.permission()],
        ...(options.alertApi ? [[alertApiRef, options.alertApi] as const] : []),
      ]}
    >
      <EntityProvider entity={options.entity ?? testEntity}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: options.routeEntries,
    },
  );
}
