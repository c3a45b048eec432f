import { screen, waitFor, within } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
  RenderTestAppOptions,
} from '@backstage/frontend-test-utils';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { ingestionKeysApiRef, IngestionKeysClient } from './api';
import { InMemoryIngestionKeysApi } from './__testUtils__/InMemoryIngestionKeysApi';
import { testEntity, testEntityRef } from './__testUtils__/renderInPluginApp';
import plugin from './alpha';

async function seededApi() {
  const api = new InMemoryIngestionKeysApi({ teamEntities: [testEntityRef] });
  await api.createKey({
    entityRef: testEntityRef,
    environment: 'production',
    type: 'sensor',
  });
  return api;
}

async function renderExtensions(
  extensions: NonNullable<RenderTestAppOptions['extensions']>,
  initialRouteEntries?: string[],
) {
  const api = await seededApi();
  return renderTestApp({
    extensions,
    initialRouteEntries,
    apis: [
      [ingestionKeysApiRef, api],
      [permissionApiRef, mockApis.permission()],
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('ingestion-keys plugin (new frontend system)', () => {
  it('installs the HTTP client as the API', () => {
    const factory = createExtensionTester(
      plugin.getExtension('api:ingestion-keys'),
    ).get(ApiBlueprint.dataRefs.factory);
    expect(factory.api.id).toBe(ingestionKeysApiRef.id);
    expect(
      factory.factory({
        discoveryApi: mockApis.discovery(),
        fetchApi: { fetch: jest.fn() },
      }),
    ).toBeInstanceOf(IngestionKeysClient);
  });

  it('adds the Ingestion Keys tab to component and resource pages', async () => {
    await renderExtensions([
      createTestEntityPage({ entity: testEntity }),
      plugin.getExtension('entity-content:ingestion-keys'),
    ]);
    const keys = await screen.findByRole('region', { name: 'Keys' });
    await waitFor(() =>
      expect(
        within(keys).getByText('checkout-api-production-sensor'),
      ).toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: 'Create key' })).toBeEnabled();
  });

  it('leaves the tab out of other kinds of entities', async () => {
    await renderExtensions([
      createTestEntityPage({
        entity: { ...testEntity, kind: 'System', spec: {} },
      }),
      plugin.getExtension('entity-content:ingestion-keys'),
    ]);
    // The test page renders this marker once it has filtered out every content and card.
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Keys' })).toBeNull();
  });

  it('adds the overview card', async () => {
    await renderExtensions([
      createTestEntityPage({ entity: testEntity }),
      plugin.getExtension('entity-card:ingestion-keys'),
    ]);
    expect(await screen.findByText('Ingestion keys')).toBeInTheDocument();
    expect(
      await screen.findByText('1 key: Sensor', { exact: false }),
    ).toBeInTheDocument();
  });

  it("adds the Ingestion Keys page at /ingestion-keys: the user's teams' keys", async () => {
    await renderExtensions(
      [plugin.getExtension('page:ingestion-keys')],
      ['/ingestion-keys'],
    );
    const table = await screen.findByRole('region', {
      name: "My teams' keys",
    });
    await waitFor(() =>
      expect(
        within(table).getByText('checkout-api-production-sensor'),
      ).toBeInTheDocument(),
    );
  });
});
