import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { IngestionKeysClient } from '../../api';
import {
  InMemoryIngestionKeysApi,
  testSettings,
} from '../../__testUtils__/InMemoryIngestionKeysApi';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { OrgKeysTable } from './OrgKeysTable';

const server = setupServer();
registerMswTestHooks(server);

async function seededApi() {
  const api = new InMemoryIngestionKeysApi();
  await api.createKey({
    entityRef: 'component:default/checkout-api',
    environment: 'production',
    type: 'sensor',
  });
  await api.createKey({
    entityRef: 'component:default/payments-worker',
    environment: 'staging',
    type: 'thirdParty',
    integration: 'fluent-bit',
  });
  return api;
}

function table() {
  return screen.getByRole('region', { name: 'All ingestion keys' });
}

describe('OrgKeysTable', () => {
  it('lists every key with its owning entity, a page at a time', async () => {
    const api = await seededApi();
    const listKeys = jest.spyOn(api, 'listKeys');
    await renderInPluginApp(<OrgKeysTable />, { api });

    const row = await waitFor(
      () =>
        within(table())
          .getAllByRole('row')
          .find(r =>
            within(r).queryByText(
              'payments-worker-staging-thirdparty-fluent-bit',
            ),
          )!,
    );
    expect(
      within(row).getByRole('link', { name: 'payments-worker' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-worker');
    expect(within(row).getByText('Third Party')).toBeInTheDocument();
    expect(listKeys).toHaveBeenCalledWith({ limit: 20, offset: 0 });
    // The backend sorts by its own fields only.
    expect(
      within(table()).queryByRole('button', { name: 'Entity' }),
    ).toBeNull();
  });

  it('filters by type, environment, status, creator, entity and owner on the server', async () => {
    const api = await seededApi();
    const listKeys = jest.spyOn(api, 'listKeys');
    await renderInPluginApp(<OrgKeysTable />, { api });
    await waitFor(() => expect(listKeys).toHaveBeenCalled());

    await userEvent.selectOptions(
      screen.getByLabelText('Filter by type'),
      'Sensor',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Filter by environment'),
      'production',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Filter by status'),
      'All, revoked included',
    );
    await userEvent.type(screen.getByLabelText('Created by'), 'alice');
    await userEvent.type(screen.getByLabelText('Entity'), 'checkout-api');
    await userEvent.type(screen.getByLabelText('Owner'), 'team-checkout');

    await waitFor(() =>
      expect(listKeys).toHaveBeenLastCalledWith({
        type: 'sensor',
        environment: 'production',
        includeRevoked: true,
        createdBy: 'user:default/alice',
        entityRef: 'component:default/checkout-api',
        ownerRef: 'group:default/team-checkout',
        limit: 20,
        offset: 0,
      }),
    );
    expect(
      within(table()).getByText('checkout-api-production-sensor'),
    ).toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByLabelText('Filter by status'),
      'Revoked',
    );
    await waitFor(() =>
      expect(listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({
          status: 'revoked',
          includeRevoked: undefined,
        }),
      ),
    );
    expect(
      await within(table()).findByText('No keys match the filters.'),
    ).toBeInTheDocument();
  });

  it('sorts by type and by creator on the server', async () => {
    const api = await seededApi();
    const listKeys = jest.spyOn(api, 'listKeys');
    await renderInPluginApp(<OrgKeysTable />, { api });
    await waitFor(() => expect(listKeys).toHaveBeenCalled());

    await userEvent.click(
      within(table()).getByRole('button', { name: 'Type' }),
    );
    await waitFor(() =>
      expect(listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ orderBy: 'type' }),
      ),
    );
    expect(listKeys.mock.lastCall![0].order).toBe('asc');
    await userEvent.click(
      within(table()).getByRole('button', { name: 'Type' }),
    );
    await waitFor(() =>
      expect(listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ orderBy: 'type', order: 'desc' }),
      ),
    );

    await userEvent.click(
      within(table()).getByRole('button', { name: 'Created by' }),
    );
    await waitFor(() =>
      expect(listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ orderBy: 'createdBy' }),
      ),
    );
  });

  it('offers the same actions as the entity tab', async () => {
    const api = await seededApi();
    const revealKey = jest.spyOn(api, 'revealKey');
    await renderInPluginApp(<OrgKeysTable />, { api });
    const row = await waitFor(
      () =>
        within(table())
          .getAllByRole('row')
          .find(r => within(r).queryByText('checkout-api-production-sensor'))!,
    );
    await waitFor(() =>
      expect(within(row).getByRole('button', { name: 'Reveal' })).toBeEnabled(),
    );
    expect(within(row).getByRole('button', { name: 'Rotate' })).toBeEnabled();
    expect(
      within(row).getByRole('button', { name: 'More actions' }),
    ).toBeEnabled();

    await userEvent.click(within(row).getByRole('button', { name: 'Reveal' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'checkout-api-production-sensor',
    });
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Key value')).toHaveValue(
        'gcik_fake_key-1',
      ),
    );
    expect(revealKey).toHaveBeenCalledWith('key-1');
  });

  it('shows the server error when the list is refused', async () => {
    server.use(
      http.get('http://localhost:7007/api/ingestion-keys/v1/settings', () =>
        HttpResponse.json(testSettings),
      ),
      http.get('http://localhost:7007/api/ingestion-keys/v1/keys', () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Listing every key needs ingestion-keys.admin',
            },
            request: { method: 'GET', url: '/v1/keys' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const api = new IngestionKeysClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    await renderInPluginApp(<OrgKeysTable />, { api });
    expect(
      (
        await screen.findAllByText(
          /Listing every key needs ingestion-keys.admin/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });
});
