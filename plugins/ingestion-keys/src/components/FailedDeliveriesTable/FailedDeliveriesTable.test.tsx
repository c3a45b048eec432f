import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { InMemoryIngestionKeysApi } from '../../__testUtils__/InMemoryIngestionKeysApi';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { FailedDeliveriesTable } from './FailedDeliveriesTable';

const ORDERS = 'resource:default/orders-db';

async function apiWithFailure() {
  const api = new InMemoryIngestionKeysApi();
  const { key } = await api.createKey({
    entityRef: ORDERS,
    environment: 'production',
    type: 'thirdParty',
    integration: 'otel-collector',
  });
  api.failDeliveriesTo(
    'kubernetes:prod-eu/orders',
    'namespace orders not found',
  );
  await api.addDeliveryTarget(key.id, { target: 'kubernetes:prod-eu/orders' });
  await api.addDeliveryTarget(key.id, { target: 'kubernetes:prod-us/orders' });
  return api;
}

function failedRow() {
  const table = screen.getByRole('region', { name: 'Failed deliveries' });
  const found = within(table)
    .getAllByRole('row')
    .find(r => within(r).queryByText('kubernetes:prod-eu/orders'));
  if (!found) {
    throw new Error('No failed delivery row');
  }
  return found;
}

describe('FailedDeliveriesTable', () => {
  it('lists the failed deliveries with their entity, key, target, time and error', async () => {
    await renderInPluginApp(<FailedDeliveriesTable />, {
      api: await apiWithFailure(),
    });
    const row = await waitFor(() => failedRow());
    expect(
      within(row).getByRole('link', { name: 'orders-db' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-db');
    expect(row).toHaveTextContent(
      'orders-db-production-thirdparty-otel-collector',
    );
    expect(row).toHaveTextContent('production · Third Party · otel-collector');
    expect(row).toHaveTextContent('namespace orders not found');
    expect(
      within(row).getByText(/ago|now/, { selector: 'time' }),
    ).toBeInTheDocument();
    // The target delivered to is no failure.
    expect(
      screen.queryByText('kubernetes:prod-us/orders'),
    ).not.toBeInTheDocument();
  });

  it('retries a delivery, and the row goes once it succeeds', async () => {
    const api = await apiWithFailure();
    const alertApi = { post: jest.fn() };
    await renderInPluginApp(<FailedDeliveriesTable />, { api, alertApi });
    const row = await waitFor(() => failedRow());

    api.failDeliveriesTo('kubernetes:prod-eu/orders', undefined);
    await userEvent.click(
      within(row).getByRole('button', {
        name: 'Retry delivery to kubernetes:prod-eu/orders',
      }),
    );
    expect(
      await screen.findByText(/None: every delivery target got its key/),
    ).toBeInTheDocument();
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        severity: 'success',
        message: expect.stringMatching(
          /^kubernetes:prod-eu\/orders: Delivered /,
        ),
      }),
    );
  });

  it('says so when no delivery failed', async () => {
    await renderInPluginApp(<FailedDeliveriesTable />);
    expect(
      await screen.findByText(
        'None: every delivery target got its key the last time.',
      ),
    ).toBeInTheDocument();
  });
});
