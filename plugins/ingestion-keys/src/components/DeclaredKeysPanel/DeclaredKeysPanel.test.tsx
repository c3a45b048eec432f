import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  InMemoryIngestionKeysApi,
  testSettings,
} from '../../__testUtils__/InMemoryIngestionKeysApi';
import {
  renderInPluginApp,
  testEntityRef,
} from '../../__testUtils__/renderInPluginApp';
import { EntityIngestionKeysContent } from '../EntityIngestionKeysContent/EntityIngestionKeysContent';

// The panel is tested in the tab it lives in, with the data the tab loads for it.
const SENSOR = 'checkout-api-production-sensor';
const OTEL = 'checkout-api-staging-thirdparty-otel-collector';
const RUM = 'checkout-api-production-rum';

function newApi(environments = testSettings.environments) {
  return new InMemoryIngestionKeysApi({
    now: new Date('2026-01-01T00:00:00Z'),
    settings: { ...testSettings, environments },
  });
}

/** The row of the keys table for a key, found by its exact name. */
function keyRow(name: string) {
  const keys = screen.getByRole('region', { name: 'Keys' });
  const found = within(keys)
    .getAllByRole('row')
    .find(r => within(r).queryByText(name, { exact: true }));
  if (!found) {
    throw new Error(`No key row for ${name}`);
  }
  return found;
}

async function panel() {
  return screen.findByRole('region', { name: 'Declared keys' });
}

/** The row of the declared entries table for an entry, once the status has loaded. */
async function entryRow(entry: string) {
  const table = await within(await panel()).findByRole('table', {
    name: 'Declared entries',
  });
  const found = within(table)
    .getAllByRole('row')
    .find(r => within(r).queryByText(entry, { exact: true }));
  if (!found) {
    throw new Error(`No row for ${entry}`);
  }
  return found;
}

describe('DeclaredKeysPanel', () => {
  it('shows each declared entry as provisioned with its key, pending, or failed with the reason', async () => {
    const api = newApi();
    api.declare(
      testEntityRef,
      'production:sensor, staging:thirdParty:otel-collector, production:rum',
    );
    await api.runProvisioning({
      failures: [
        {
          entityRef: testEntityRef,
          entry: 'production:rum',
          reason: 'The key store timed out after 10 s',
        },
      ],
    });
    // Declared after the last run: not created yet.
    api.declare(
      testEntityRef,
      'production:sensor, staging:thirdParty:otel-collector, production:rum, staging:sensor',
    );
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const sensor = await waitFor(() => entryRow('production:sensor'));
    expect(within(sensor).getByText('Provisioned')).toBeInTheDocument();
    expect(within(sensor).getByText(SENSOR)).toBeInTheDocument();
    const otel = await entryRow('staging:thirdParty:otel-collector');
    expect(within(otel).getByText('Provisioned')).toBeInTheDocument();
    expect(within(otel).getByText(OTEL)).toBeInTheDocument();

    const rum = await entryRow('production:rum');
    expect(within(rum).getByText('Failed')).toBeInTheDocument();
    expect(
      within(rum).getByText('The key store timed out after 10 s'),
    ).toBeInTheDocument();

    const pending = await entryRow('staging:sensor');
    expect(within(pending).getByText('Pending')).toBeInTheDocument();
    expect(
      within(pending).getByText(/next provisioning run creates it/),
    ).toBeInTheDocument();

    // The help on how to declare keys is for entities that declare none.
    expect(
      within(await panel()).queryByRole('figure', {
        name: 'Example annotation',
      }),
    ).toBeNull();
  });

  it('reports invalid entries with their reason while the valid ones apply', async () => {
    const api = newApi();
    api.declare(testEntityRef, 'production:sensor, qa:sensor, staging:pager');
    await api.runProvisioning();
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const sensor = await waitFor(() => entryRow('production:sensor'));
    expect(within(sensor).getByText('Provisioned')).toBeInTheDocument();

    const qa = await entryRow('qa:sensor');
    expect(within(qa).getByText('Invalid')).toBeInTheDocument();
    expect(
      within(qa).getByText(
        'unknown environment "qa"; configured: production, staging',
      ),
    ).toBeInTheDocument();
    const pager = await entryRow('staging:pager');
    expect(within(pager).getByText('Invalid')).toBeInTheDocument();
    expect(within(pager).getByText(/unknown type "pager"/)).toBeInTheDocument();
    expect(await panel()).toHaveTextContent(
      'Invalid entries are skipped and the valid ones still apply',
    );
  });

  it('lists the keys no longer declared, says they are not revoked, and marks them in the keys table', async () => {
    const api = newApi();
    api.declare(testEntityRef, 'production:sensor, production:rum');
    await api.runProvisioning();
    api.declare(testEntityRef, 'production:sensor');
    await api.runProvisioning();
    const { since } = (await api.getProvisioningStatus()).undesired[0];
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const region = await panel();
    const undesired = await within(region).findByRole('table', {
      name: 'Undesired keys',
    });
    const row = within(undesired)
      .getAllByRole('row')
      .find(r => within(r).queryByText(RUM))!;
    expect(within(row).getByText('Entry removed')).toBeInTheDocument();
    expect(row.querySelector('time')).toHaveAttribute('dateTime', since);
    expect(region).toHaveTextContent(/not revoked automatically/);
    expect(region).toHaveTextContent(/owner can revoke them/);
    // The key is undesired, not gone: it still works and is still listed as active.
    const rum = keyRow(RUM);
    expect(within(rum).getByText('Active')).toBeInTheDocument();
    await userEvent.hover(within(rum).getByText('Undesired'));
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent(/^Entry removed/);
    expect(tooltip).toHaveTextContent(new Date(since).toLocaleString());
    expect(tooltip).toHaveTextContent(/Not revoked automatically/);
    // Keys still declared are not marked.
    expect(within(keyRow(SENSOR)).queryByText('Undesired')).toBeNull();
  });

  it('says when a key is undesired because its entity left the catalog', async () => {
    const api = newApi();
    const { key } = await api.createKey({
      entityRef: testEntityRef,
      environment: 'staging',
      type: 'rum',
    });
    api.markUndesired(key.id, 'entity-removed', '2025-12-24T10:00:00.000Z');
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const undesired = await within(await panel()).findByRole('table', {
      name: 'Undesired keys',
    });
    expect(undesired).toHaveTextContent('checkout-api-staging-rum');
    expect(undesired).toHaveTextContent('Entity removed');
  });

  it('shows how to declare keys, with a snippet for the configured environments, when the entity declares none', async () => {
    const api = newApi(['eu-prod', 'us-prod', 'dev']);
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const region = await panel();
    await waitFor(() =>
      expect(region).toHaveTextContent('This entity declares no keys'),
    );
    expect(region).toHaveTextContent('<environment>:<type>[:<integration>]');
    expect(region).toHaveTextContent(
      'Environments: eu-prod, us-prod, dev. Types: sensor, rum, thirdParty.',
    );
    const snippet = within(region).getByRole('figure', {
      name: 'Example annotation',
    });
    expect(snippet).toHaveTextContent(
      "ingestion-keys/provision: 'eu-prod:sensor, eu-prod:thirdParty:otel-collector, us-prod:sensor, dev:sensor'",
    );
    expect(
      within(snippet).getByRole('button', { name: 'Copy text' }),
    ).toBeInTheDocument();
    expect(within(region).queryByRole('table')).toBeNull();
  });

  it('shows progress while the declared keys load', async () => {
    const api = newApi();
    api.getEntityProvisioningStatus = () => new Promise(() => {});
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    // Queried afresh on every try: the tab re-renders as its other data arrives.
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('region', { name: 'Declared keys' }),
        ).getByTestId('progress'),
      ).toBeInTheDocument(),
    );
  });

  it('says when the declared keys cannot be loaded, keeps the rest of the tab, and retries', async () => {
    const api = newApi();
    await api.createKey({
      entityRef: testEntityRef,
      environment: 'production',
      type: 'sensor',
    });
    api.declare(testEntityRef, 'production:sensor');
    const getStatus = jest
      .spyOn(api, 'getEntityProvisioningStatus')
      .mockRejectedValueOnce(new Error('The catalog is unavailable'));
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });

    const region = await panel();
    expect(await within(region).findByRole('alert')).toHaveTextContent(
      'Could not load the declared keys: The catalog is unavailable',
    );
    expect(
      within(screen.getByRole('region', { name: 'Keys' })).getByText(SENSOR),
    ).toBeInTheDocument();

    await userEvent.click(
      within(region).getByRole('button', { name: 'Retry' }),
    );
    const sensor = await waitFor(() => entryRow('production:sensor'));
    expect(within(sensor).getByText('Provisioned')).toBeInTheDocument();
    expect(getStatus).toHaveBeenCalledWith(testEntityRef);
  });

  it('shows the entry as pending again once its key is revoked', async () => {
    const api = newApi();
    api.declare(testEntityRef, 'production:sensor');
    await api.runProvisioning();
    await renderInPluginApp(<EntityIngestionKeysContent />, { api });
    await waitFor(async () =>
      expect(
        within(await entryRow('production:sensor')).getByText('Provisioned'),
      ).toBeInTheDocument(),
    );

    await userEvent.click(
      within(keyRow(SENSOR)).getByRole('button', { name: 'More actions' }),
    );
    await userEvent.click(screen.getByRole('menuitem', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Key name'), SENSOR);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke key' }),
    );

    await waitFor(async () =>
      expect(
        within(await entryRow('production:sensor')).getByText('Pending'),
      ).toBeInTheDocument(),
    );
  });
});
