import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ingestionKeyCreatePermission,
  ingestionKeyRevealPermission,
  ingestionKeyRevokePermission,
  ingestionKeyRotatePermission,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { IngestionKeysClient } from '../../api';
import {
  InMemoryIngestionKeysApi,
  testSettings,
} from '../../__testUtils__/InMemoryIngestionKeysApi';
import { keyResponse } from '../../__testUtils__/keyResponse';
import { permissionApiDenying } from '../../__testUtils__/permissions';
import {
  renderInPluginApp,
  testEntity,
  testEntityRef,
} from '../../__testUtils__/renderInPluginApp';
import { EntityIngestionKeysContent } from './EntityIngestionKeysContent';

const SENSOR = 'checkout-api-production-sensor';
const OTEL = 'checkout-api-staging-thirdparty-otel-collector';
const RUM = 'checkout-api-production-rum';

async function seededApi() {
  const api = new InMemoryIngestionKeysApi({
    now: new Date('2026-01-01T00:00:00Z'),
  });
  await api.createKey({
    entityRef: testEntityRef,
    environment: 'production',
    type: 'sensor',
    remoteConfig: true,
  });
  await api.createKey({
    entityRef: testEntityRef,
    environment: 'staging',
    type: 'thirdParty',
    integration: 'otel-collector',
  });
  const rum = await api.createKey({
    entityRef: testEntityRef,
    environment: 'production',
    type: 'rum',
  });
  return { api, rumId: rum.key.id };
}

function keysTable() {
  return screen.getByRole('region', { name: 'Keys' });
}

/** The table row of a key, found by its exact name. */
function row(name: string) {
  const found = within(keysTable())
    .getAllByRole('row')
    .find(r => within(r).queryByText(name, { exact: true }));
  if (!found) {
    throw new Error(`No row for ${name}`);
  }
  return found;
}

/** Key names in the order the table shows them. */
function shownNames() {
  const names = [SENSOR, OTEL, RUM, `${SENSOR}-r2`];
  return within(keysTable())
    .getAllByRole('row')
    .map(r => names.find(n => within(r).queryByText(n, { exact: true })))
    .filter(Boolean);
}

/** The texts of one column, top to bottom. */
function shownColumn(header: string) {
  const headers = within(keysTable()).getAllByRole('columnheader');
  const index = headers.findIndex(h => h.textContent === header);
  if (index < 0) {
    throw new Error(`No column ${header}`);
  }
  return within(keysTable())
    .getAllByRole('row')
    .slice(1)
    .map(r => within(r).getAllByRole('cell')[index]?.textContent);
}

describe('EntityIngestionKeysContent', () => {
  it('shows progress while loading', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.listKeys = () => new Promise(() => {});
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the server error when the keys cannot be loaded', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.listKeys = async () => {
      throw new Error('The ingestion-keys backend is unavailable');
    };
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    expect(
      (await screen.findAllByText(/The ingestion-keys backend is unavailable/))
        .length,
    ).toBeGreaterThan(0);
  });

  it('explains ingestion keys and how to get one when the entity has none', async () => {
    await renderInPluginApp(<EntityIngestionKeysContent />);
    expect(
      await screen.findByText('No ingestion keys yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/one key per integration/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/ingestion-keys\/provision/).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Create key' })).toBeEnabled();
  });

  it('lists the keys with their type, environment, integration, status, creator and time', async () => {
    const { api } = await seededApi();
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const otel = await waitFor(() => row(OTEL));
    expect(within(otel).getByText('Third Party')).toBeInTheDocument();
    expect(within(otel).getByText('staging')).toBeInTheDocument();
    expect(within(otel).getByText('otel-collector')).toBeInTheDocument();
    expect(within(otel).getByText('Active')).toBeInTheDocument();
    expect(within(otel).getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    const time = within(otel).getByText(/ago|in /, { selector: 'time' });
    expect(time).toHaveAttribute('dateTime', '2026-01-01T00:03:00.000Z');
    await userEvent.hover(time);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      new Date('2026-01-01T00:03:00.000Z').toLocaleString(),
    );
    expect(within(row(SENSOR)).getByText('Sensor')).toBeInTheDocument();
    expect(within(row(SENSOR)).getByText('—')).toBeInTheDocument();
  });

  it('sorts by any column, newest first by default', async () => {
    const { api } = await seededApi();
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    await waitFor(() => row(SENSOR));
    expect(shownNames()).toEqual([RUM, OTEL, SENSOR]);

    const sortBy = (column: string) =>
      userEvent.click(
        within(keysTable()).getByRole('button', { name: column }),
      );

    // By the label shown (RUM, Sensor, Third Party). The first click sorts ascending, a second
    // reverses it, and a newly clicked column keeps the direction of the sort before it.
    await sortBy('Type');
    expect(shownNames()).toEqual([RUM, SENSOR, OTEL]);
    await sortBy('Type');
    expect(shownNames()).toEqual([OTEL, SENSOR, RUM]);

    await sortBy('Environment');
    expect(shownColumn('Environment')).toEqual([
      'staging',
      'production',
      'production',
    ]);
    await sortBy('Environment');
    expect(shownColumn('Environment')).toEqual([
      'production',
      'production',
      'staging',
    ]);
  });

  it('filters by environment and by type', async () => {
    const { api } = await seededApi();
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    await waitFor(() => row(SENSOR));

    await userEvent.selectOptions(
      screen.getByLabelText('Filter by environment'),
      'production',
    );
    expect(shownNames().sort()).toEqual([RUM, SENSOR].sort());

    await userEvent.selectOptions(
      screen.getByLabelText('Filter by type'),
      'RUM',
    );
    expect(shownNames()).toEqual([RUM]);

    await userEvent.selectOptions(
      screen.getByLabelText('Filter by environment'),
      'staging',
    );
    expect(shownNames()).toEqual([]);
    expect(screen.getByText('No keys match the filters.')).toBeInTheDocument();
  });

  it('hides revoked keys until asked to show them as history', async () => {
    const { api, rumId } = await seededApi();
    await api.revokeKey(rumId);
    const listKeys = jest.spyOn(api, 'listKeys');
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    await waitFor(() => row(SENSOR));
    expect(shownNames()).not.toContain(RUM);

    await userEvent.click(screen.getByLabelText('Show revoked keys'));
    const revoked = await waitFor(() => row(RUM));
    expect(within(revoked).getByText('Revoked')).toBeInTheDocument();
    expect(
      within(revoked).queryByRole('button', { name: 'Reveal' }),
    ).toBeNull();
    expect(listKeys).toHaveBeenLastCalledWith(
      expect.objectContaining({
        entityRef: testEntityRef,
        includeRevoked: true,
      }),
    );
  });

  it('reveals a key with a server call each time, and masks it again once closed', async () => {
    const { api } = await seededApi();
    const revealKey = jest.spyOn(api, 'revealKey');
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    await waitFor(() => row(SENSOR));

    await userEvent.click(
      within(row(SENSOR)).getByRole('button', { name: 'Reveal' }),
    );
    const dialog = await screen.findByRole('dialog', { name: SENSOR });
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Key value')).toHaveValue(
        'gcik_fake_key-1',
      ),
    );
    expect(
      within(dialog).getByRole('button', { name: 'Copy key' }),
    ).toBeVisible();
    expect(dialog).toHaveTextContent(
      'global.groundcover_token=gcik_fake_key-1',
    );
    expect(revealKey).toHaveBeenCalledTimes(1);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Hide' }));
    expect(within(dialog).getByLabelText('Key value')).not.toHaveValue(
      'gcik_fake_key-1',
    );
    expect(dialog).toHaveTextContent(
      'global.groundcover_token=<INGESTION_KEY>',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.body).not.toHaveTextContent('gcik_fake_key-1');

    await userEvent.click(
      within(row(SENSOR)).getByRole('button', { name: 'Reveal' }),
    );
    await waitFor(() => expect(revealKey).toHaveBeenCalledTimes(2));
  });

  it('shows usage snippets with a placeholder before the key is revealed', async () => {
    const { api } = await seededApi();
    const revealKey = jest.spyOn(api, 'revealKey');
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    await waitFor(() => row(OTEL));

    await userEvent.click(
      within(row(OTEL)).getByRole('button', { name: 'More actions' }),
    );
    await userEvent.click(
      screen.getByRole('menuitem', { name: 'Usage snippets' }),
    );
    const dialog = await screen.findByRole('dialog', { name: OTEL });
    expect(dialog).toHaveTextContent('otlphttp/groundcover');
    expect(dialog).toHaveTextContent('apikey: <INGESTION_KEY>');
    expect(dialog).toHaveTextContent('Header apikey <INGESTION_KEY>');
    expect(revealKey).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reveal' }),
    );
    await waitFor(() =>
      expect(dialog).toHaveTextContent('apikey: gcik_fake_key-2'),
    );
  });

  it('rotates a key, shows the successor and revokes the old key from there', async () => {
    const { api } = await seededApi();
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    await waitFor(() => row(SENSOR));

    await userEvent.click(
      within(row(SENSOR)).getByRole('button', { name: 'Rotate' }),
    );
    const confirm = await screen.findByRole('dialog', {
      name: `Rotate ${SENSOR}?`,
    });
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Rotate key' }),
    );

    const result = await screen.findByRole('dialog', { name: 'Key rotated' });
    expect(result).toHaveTextContent(`${SENSOR}-r2`);
    expect(within(result).getByLabelText('Key value')).toHaveValue(
      'gcik_fake_key-4',
    );
    expect(result).toHaveTextContent(
      'global.groundcover_token=gcik_fake_key-4',
    );
    expect(result).toHaveTextContent(
      `${SENSOR} is rotating – revoke when the rollout is done.`,
    );

    await userEvent.click(
      within(result).getByRole('button', { name: 'Revoke old key' }),
    );
    const revoke = await screen.findByRole('dialog', {
      name: `Revoke ${SENSOR}?`,
    });
    await userEvent.type(within(revoke).getByLabelText('Key name'), SENSOR);
    await userEvent.click(
      within(revoke).getByRole('button', { name: 'Revoke key' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(shownNames()).not.toContain(SENSOR));
    expect(shownNames()).toContain(`${SENSOR}-r2`);
  });

  it('marks a rotating key in the table and offers to revoke it', async () => {
    const { api } = await seededApi();
    const { items } = await api.listKeys({ entityRef: testEntityRef });
    await api.rotateKey(items.find(k => k.name === SENSOR)!.id);
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const notice = await screen.findByText(/is rotating – revoke when the/);
    expect(notice).toHaveTextContent(SENSOR);
    expect(within(row(SENSOR)).getByText('Rotating')).toBeInTheDocument();
    expect(
      within(row(SENSOR)).getByRole('button', { name: 'Rotate' }),
    ).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Revoke old key' }),
    );
    expect(
      await screen.findByRole('dialog', { name: `Revoke ${SENSOR}?` }),
    ).toBeInTheDocument();
  });

  it('revokes from the ⋮ menu only once the key name is typed', async () => {
    const { api } = await seededApi();
    const revokeKey = jest.spyOn(api, 'revokeKey');
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    await waitFor(() => row(OTEL));

    await userEvent.click(
      within(row(OTEL)).getByRole('button', { name: 'More actions' }),
    );
    await userEvent.click(screen.getByRole('menuitem', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog', {
      name: `Revoke ${OTEL}?`,
    });
    expect(dialog).toHaveTextContent('permanently deletes');
    expect(dialog).toHaveTextContent('cannot be undone');
    expect(dialog).toHaveTextContent('403 PERMISSION_DENIED');
    const confirm = within(dialog).getByRole('button', { name: 'Revoke key' });
    expect(confirm).toBeDisabled();

    await userEvent.type(within(dialog).getByLabelText('Key name'), 'checkout');
    expect(confirm).toBeDisabled();
    await userEvent.clear(within(dialog).getByLabelText('Key name'));
    await userEvent.type(within(dialog).getByLabelText('Key name'), OTEL);
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    await waitFor(() => expect(revokeKey).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(shownNames()).not.toContain(OTEL));
  });

  it('disables what the user may not do, saying why', async () => {
    // Another entity than the other tests: permission decisions are cached per resource.
    const entityRef = 'component:default/payments-worker';
    const api = new InMemoryIngestionKeysApi();
    await api.createKey({
      entityRef,
      environment: 'production',
      type: 'sensor',
    });
    await renderInPluginApp(<EntityIngestionKeysContent />, {
      api,
      entity: {
        ...testEntity,
        metadata: { name: 'payments-worker', namespace: 'default' },
      },
      permissionApi: permissionApiDenying(
        ingestionKeyCreatePermission,
        ingestionKeyRevealPermission,
        ingestionKeyRotatePermission,
        ingestionKeyRevokePermission,
      ),
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Create key' })).toBeDisabled(),
    );
    const button = (name: string) =>
      within(row('payments-worker-production-sensor')).getByRole('button', {
        name,
      });
    // The table re-renders its rows once the permissions are known.
    await waitFor(() => expect(button('Reveal')).toBeDisabled());
    expect(button('Rotate')).toBeDisabled();

    await userEvent.hover(button('Reveal').parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You are not allowed to reveal keys of payments-worker',
    );
    await userEvent.unhover(button('Reveal').parentElement!);

    await userEvent.hover(
      screen.getByRole('button', { name: 'Create key' }).parentElement!,
    );
    await waitFor(() =>
      expect(screen.getByRole('tooltip')).toHaveTextContent(
        'You are not allowed to create keys for this entity',
      ),
    );

    await userEvent.click(button('More actions'));
    expect(screen.getByRole('menuitem', { name: 'Revoke' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it("shows each key's delivery targets and opens its delivery dialog from them", async () => {
    const { api } = await seededApi();
    const sensor = (
      await api.listKeys({ entityRef: testEntityRef })
    ).items.find(key => key.name === SENSOR)!;
    api.failDeliveriesTo(
      'kubernetes:prod-eu/groundcover',
      'cluster unreachable',
    );
    await api.addDeliveryTarget(sensor.id, {
      target: 'kubernetes:prod-eu/groundcover',
    });
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const chip = await waitFor(() =>
      within(row(SENSOR)).getByRole('button', {
        name: '1 failed of 1 target: open delivery',
      }),
    );
    expect(within(row(OTEL)).getByText('None')).toBeInTheDocument();
    await userEvent.click(chip);
    const dialog = await screen.findByRole('dialog', {
      name: `Delivery of ${SENSOR}`,
    });
    await waitFor(() =>
      expect(dialog).toHaveTextContent(/Failed .*: cluster unreachable/),
    );

    // A successful retry from the dialog shows in the table once it is closed.
    api.failDeliveriesTo('kubernetes:prod-eu/groundcover', undefined);
    await userEvent.click(
      within(dialog).getByRole('button', {
        name: 'Retry delivery to kubernetes:prod-eu/groundcover',
      }),
    );
    await within(dialog).findByRole('status');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(
        within(row(SENSOR)).getByRole('button', {
          name: /^1 of 1 target: open delivery$/,
        }),
      ).toBeInTheDocument(),
    );
    expect(document.body.innerHTML).not.toContain('gcik_fake_');
  });

  it('shows the audit history of the entity', async () => {
    const { api } = await seededApi();
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    const history = await screen.findByRole('region', { name: 'History' });
    await waitFor(() => expect(history).toHaveTextContent(OTEL));
    expect(within(history).getAllByText('Created')).toHaveLength(3);
    expect(
      within(history).getAllByRole('link', { name: 'alice' }),
    ).toHaveLength(3);
  });
});

describe('EntityIngestionKeysContent against the backend API', () => {
  const baseUrl = 'http://localhost:7007/api/ingestion-keys';
  const server = setupServer();
  registerMswTestHooks(server);

  const key = { ...keyResponse, name: SENSOR, entityRef: testEntityRef };
  const errorBody = (name: string, message: string, statusCode: number) =>
    HttpResponse.json(
      { error: { name, message }, response: { statusCode } },
      { status: statusCode },
    );

  it('loads the entity keys and shows what the server says when an action fails', async () => {
    const keyQueries: URLSearchParams[] = [];
    const statusQueries: URLSearchParams[] = [];
    server.use(
      http.get(`${baseUrl}/v1/settings`, () => HttpResponse.json(testSettings)),
      http.get(`${baseUrl}/v1/keys`, ({ request }) => {
        keyQueries.push(new URL(request.url).searchParams);
        return HttpResponse.json({ items: [key], totalCount: 1 });
      }),
      http.get(`${baseUrl}/v1/events`, () => HttpResponse.json({ items: [] })),
      http.get(`${baseUrl}/v1/targets`, () => HttpResponse.json({ items: [] })),
      http.get(`${baseUrl}/v1/provisioning/status`, ({ request }) => {
        statusQueries.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          entityRef: testEntityRef,
          annotation: 'production:sensor',
          entries: [
            {
              entry: 'production:sensor',
              environment: 'production',
              type: 'sensor',
              state: 'provisioned',
              keyId: 'k1',
              keyName: SENSOR,
            },
          ],
          invalidEntries: [],
          undesired: [],
        });
      }),
      http.delete(`${baseUrl}/v1/keys/k1`, () =>
        errorBody('NotAllowedError', 'Only owners may revoke keys', 403),
      ),
    );
    const api = new IngestionKeysClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    await waitFor(() => row(SENSOR));
    expect(keyQueries[0].get('entityRef')).toBe(testEntityRef);
    expect(keyQueries[0].get('includeRevoked')).toBe('false');
    const declared = await screen.findByRole('region', {
      name: 'Declared keys',
    });
    await waitFor(() => expect(declared).toHaveTextContent('Provisioned'));
    expect(statusQueries[0].get('entityRef')).toBe(testEntityRef);

    await userEvent.click(
      within(row(SENSOR)).getByRole('button', { name: 'More actions' }),
    );
    await userEvent.click(screen.getByRole('menuitem', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Key name'), SENSOR);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke key' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Only owners may revoke keys',
    );
  });
});
