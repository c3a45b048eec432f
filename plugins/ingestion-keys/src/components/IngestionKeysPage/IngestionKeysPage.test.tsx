import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { InMemoryIngestionKeysApi } from '../../__testUtils__/InMemoryIngestionKeysApi';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { teamKeysApi } from '../../__testUtils__/teamKeysApi';
import { IngestionKeysPage } from './IngestionKeysPage';

describe('IngestionKeysPage', () => {
  it("starts administrators on their teams' keys and switches to every key of the catalog", async () => {
    const api = await teamKeysApi();
    await renderInPluginApp(<IngestionKeysPage />, { api });

    expect(
      screen.getByRole('heading', { name: 'Ingestion Keys' }),
    ).toBeInTheDocument();
    const mine = await screen.findByRole('region', { name: "My teams' keys" });
    await waitFor(() =>
      expect(
        within(mine).getByText('checkout-api-production-sensor'),
      ).toBeInTheDocument(),
    );
    expect(within(mine).queryByText(/orders-db/)).toBeNull();

    await userEvent.click(
      screen.getByRole('tab', { name: 'Whole organisation' }),
    );
    const all = await screen.findByRole('region', {
      name: 'All ingestion keys',
    });
    expect(
      await within(all).findByRole('link', { name: 'orders-db' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-db');
    expect(screen.queryByRole('region', { name: "My teams' keys" })).toBeNull();
  });

  it('keeps the view in the URL, so a link or a reload opens the whole organisation', async () => {
    const api = await teamKeysApi();
    await renderInPluginApp(<IngestionKeysPage />, {
      api,
      routeEntries: ['/ingestion-keys?view=organisation'],
    });
    expect(
      await screen.findByRole('region', { name: 'All ingestion keys' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Whole organisation', selected: true }),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: "My teams' keys" }));
    expect(
      await screen.findByRole('region', { name: "My teams' keys" }),
    ).toBeInTheDocument();
  });

  it('shows administrators the provisioning status below every key', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.declare('resource:default/orders-db', 'production:thirdParty');
    await api.runProvisioning();
    await renderInPluginApp(<IngestionKeysPage />, { api });
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Whole organisation' }),
    );

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

  it("shows administrators the organisation's failed deliveries, and not on their teams' view", async () => {
    const api = await teamKeysApi();
    const { items } = await api.listKeys({
      entityRef: 'resource:default/orders-db',
    });
    api.failDeliveriesTo('kubernetes:prod-eu/orders', 'namespace not found');
    await api.addDeliveryTarget(items[0].id, {
      target: 'kubernetes:prod-eu/orders',
    });
    await renderInPluginApp(<IngestionKeysPage />, { api });
    await screen.findByRole('region', { name: "My teams' keys" });
    expect(
      screen.queryByRole('region', { name: 'Failed deliveries' }),
    ).toBeNull();

    await userEvent.click(
      await screen.findByRole('tab', { name: 'Whole organisation' }),
    );
    const failed = await screen.findByRole('region', {
      name: 'Failed deliveries',
    });
    await waitFor(() =>
      expect(failed).toHaveTextContent('namespace not found'),
    );
    expect(within(failed).getByText('kubernetes:prod-eu/orders')).toBeVisible();
  });
});
