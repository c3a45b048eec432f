import { screen, waitFor, within } from '@testing-library/react';
import { InMemoryIngestionKeysApi } from '../../__testUtils__/InMemoryIngestionKeysApi';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { IngestionKeysPage } from './IngestionKeysPage';

describe('IngestionKeysPage', () => {
  it('shows administrators every key of the catalog', async () => {
    const api = new InMemoryIngestionKeysApi();
    await api.createKey({
      entityRef: 'resource:default/orders-db',
      environment: 'production',
      type: 'thirdParty',
    });
    await renderInPluginApp(<IngestionKeysPage />, { api });

    expect(
      screen.getByRole('heading', { name: 'Ingestion Keys' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'orders-db' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-db');
    expect(
      screen.getByText(/^orders-db-production-thirdparty/),
    ).toBeInTheDocument();
  });

  it('shows administrators the provisioning status below the keys', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.declare('resource:default/orders-db', 'production:thirdParty');
    await api.runProvisioning();
    await renderInPluginApp(<IngestionKeysPage />, { api });

    const provisioning = await screen.findByRole('region', {
      name: 'Provisioning',
    });
    await waitFor(() =>
      expect(within(provisioning).getByText('Keys desired')).toBeVisible(),
    );
    expect(
      within(provisioning).getByRole('region', { name: 'Undesired keys' }),
    ).toBeInTheDocument();
    expect(
      within(provisioning).getByRole('button', {
        name: 'Run provisioning now',
      }),
    ).toBeEnabled();
    const keys = screen.getByRole('region', { name: 'All ingestion keys' });
    expect(keys.compareDocumentPosition(provisioning)).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
  });
});
