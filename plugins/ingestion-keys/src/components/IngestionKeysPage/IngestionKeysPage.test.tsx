import { screen } from '@testing-library/react';
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
});
