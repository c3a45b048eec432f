import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ProvisioningRunReport } from '@ingestion-keys/plugin-ingestion-keys-common';
import { InMemoryIngestionKeysApi } from '../../__testUtils__/InMemoryIngestionKeysApi';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { ProvisioningOverview } from './ProvisioningOverview';

const CHECKOUT = 'component:default/checkout-api';
const INVENTORY = 'component:default/inventory-service';

const report: ProvisioningRunReport = {
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: '2026-01-01T10:00:02.345Z',
  entitiesSeen: 1200,
  keysDesired: 340,
  keysCreated: 3,
  keysAdopted: 1,
  keysRevoked: 0,
  failed: [
    {
      entityRef: CHECKOUT,
      entry: 'production:rum',
      reason: 'The key store timed out after 10 s',
    },
  ],
  invalidEntries: [
    {
      entityRef: INVENTORY,
      entry: 'qa:sensor',
      reason: 'unknown environment "qa"; configured: production, staging',
    },
  ],
  undesiredCount: 1,
  storeCalls: { list: 1, create: 4 },
};

/** The value shown for a fact of the last run. */
function fact(term: string) {
  const section = screen.getByRole('region', { name: 'Provisioning' });
  return within(section).getByText(term, { selector: 'dt' }).nextElementSibling;
}

function region(name: string) {
  return within(screen.getByRole('region', { name: 'Provisioning' })).getByRole(
    'region',
    { name },
  );
}

function rowWith(container: HTMLElement, text: string) {
  const found = within(container)
    .getAllByRole('row')
    .find(r => within(r).queryByText(text));
  if (!found) {
    throw new Error(`No row with ${text}`);
  }
  return found;
}

async function apiWithUndesiredKey() {
  const api = new InMemoryIngestionKeysApi({
    now: new Date('2026-01-01T00:00:00Z'),
  });
  api.declare(CHECKOUT, 'production:sensor, staging:thirdParty:fluent-bit');
  await api.runProvisioning();
  api.declare(CHECKOUT, 'production:sensor');
  await api.runProvisioning();
  return api;
}

describe('ProvisioningOverview', () => {
  it('shows the last run: when, how long, what it saw and did, its failures and invalid entries', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.setLastRun(report);
    await renderInPluginApp(<ProvisioningOverview />, { api });

    await screen.findByText('Last run');
    expect(fact('Started')!.querySelector('time')).toHaveAttribute(
      'dateTime',
      report.startedAt,
    );
    expect(fact('Finished')!.querySelector('time')).toHaveAttribute(
      'dateTime',
      report.finishedAt,
    );
    expect(fact('Duration')).toHaveTextContent('2.3 s');
    expect(fact('Entities seen')).toHaveTextContent('1200');
    expect(fact('Keys desired')).toHaveTextContent('340');
    expect(fact('Created')).toHaveTextContent('3');
    expect(fact('Adopted')).toHaveTextContent('1');
    expect(fact('Revoked')).toHaveTextContent('0');
    expect(fact('Failed')).toHaveTextContent('1');
    expect(fact('Invalid entries')).toHaveTextContent('1');
    expect(fact('Undesired')).toHaveTextContent('1');

    const failure = rowWith(region('Failures'), 'production:rum');
    expect(
      within(failure).getByRole('link', { name: 'checkout-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api');
    expect(failure).toHaveTextContent('The key store timed out after 10 s');

    const invalid = rowWith(region('Invalid entries'), 'qa:sensor');
    expect(
      within(invalid).getByRole('link', { name: 'inventory-service' }),
    ).toBeInTheDocument();
    expect(invalid).toHaveTextContent('unknown environment "qa"');
  });

  it("names the keys the store holds with this portal's tag and no record", async () => {
    const api = new InMemoryIngestionKeysApi();
    api.setLastRun({
      ...report,
      unrecordedKeys: [
        {
          keyName: 'checkout-api-production-sensor-r2',
          entityRef: CHECKOUT,
          environment: 'production',
          type: 'sensor',
        },
      ],
      unlisted: { failed: 0, invalidEntries: 0, unrecordedKeys: 4 },
    });
    await renderInPluginApp(<ProvisioningOverview />, { api });

    await screen.findByText('Last run');
    expect(fact('Unrecorded')).toHaveTextContent('5');
    expect(screen.getByText(/no record accounts for/)).toHaveTextContent(
      'checkout-api-production-sensor-r2 and 4 more.',
    );
  });

  it('says why a run stopped early', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.setLastRun({
      ...report,
      failed: [],
      invalidEntries: [],
      error: 'groundcover rejected the API key',
    });
    await renderInPluginApp(<ProvisioningOverview />, { api });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The run stopped early: groundcover rejected the API key',
    );
    expect(
      screen.queryByText('Every declared entry was valid and nothing failed.'),
    ).toBeNull();
  });

  it('lists the undesired keys with their entity, environment, type, reason and since when', async () => {
    const api = await apiWithUndesiredKey();
    const [undesired] = (await api.getProvisioningStatus()).undesired;
    await renderInPluginApp(<ProvisioningOverview />, { api });

    await waitFor(() => region('Undesired keys'));
    const row = rowWith(
      region('Undesired keys'),
      'checkout-api-staging-thirdparty-fluent-bit',
    );
    expect(
      within(row).getByRole('link', { name: 'checkout-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api');
    expect(within(row).getByText('staging')).toBeInTheDocument();
    expect(within(row).getByText('Third Party')).toBeInTheDocument();
    expect(within(row).getByText('Entry removed')).toBeInTheDocument();
    expect(row.querySelector('time')).toHaveAttribute(
      'dateTime',
      undesired.since,
    );
    expect(region('Undesired keys')).toHaveTextContent(
      'Not revoked automatically',
    );
    // The run that found it says so too.
    expect(fact('Undesired')).toHaveTextContent('1');
    expect(fact('Created')).toHaveTextContent('0');
  });

  it('says when provisioning has not run yet', async () => {
    await renderInPluginApp(<ProvisioningOverview />);
    expect(await screen.findByText('No run yet')).toBeInTheDocument();
    expect(screen.queryByText('Entities seen')).toBeNull();
    expect(region('Undesired keys')).toHaveTextContent(
      'No undesired keys: every provisioned key is still declared.',
    );
    expect(
      screen.getByRole('button', { name: 'Run provisioning now' }),
    ).toBeEnabled();
  });

  it('runs provisioning on demand, confirms it, and shows the new run once it is done', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.declare(CHECKOUT, 'production:sensor, production:rum');
    const trigger = jest.spyOn(api, 'triggerProvisioningRun');
    const alertApi = { post: jest.fn() };
    await renderInPluginApp(<ProvisioningOverview refreshDelayMs={50} />, {
      api,
      alertApi,
    });
    await screen.findByText('No run yet');

    await userEvent.click(
      screen.getByRole('button', { name: 'Run provisioning now' }),
    );
    expect(trigger).toHaveBeenCalledTimes(1);
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message:
          'Provisioning run started. The status refreshes in a few seconds.',
        severity: 'success',
      }),
    );
    // Refreshed by itself a moment later.
    await waitFor(() => expect(fact('Created')).toHaveTextContent('2'));
    expect(fact('Entities seen')).toHaveTextContent('1');
    expect(screen.queryByText('No run yet')).toBeNull();
  });

  it('says why a run could not be started', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.triggerProvisioningRun = async () => {
      throw new Error('Only ingestion-keys administrators may do this');
    };
    const alertApi = { post: jest.fn() };
    await renderInPluginApp(<ProvisioningOverview />, { api, alertApi });
    await screen.findByText('No run yet');

    await userEvent.click(
      screen.getByRole('button', { name: 'Run provisioning now' }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message:
          'Could not start a provisioning run: Only ingestion-keys administrators may do this',
        severity: 'error',
      }),
    );
    expect(
      screen.getByRole('button', { name: 'Run provisioning now' }),
    ).toBeEnabled();
  });

  it('reloads the status on request', async () => {
    const api = new InMemoryIngestionKeysApi();
    await renderInPluginApp(<ProvisioningOverview />, { api });
    await screen.findByText('No run yet');

    api.setLastRun(report);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(fact('Created')).toHaveTextContent('3'));
  });

  it('shows progress while loading and the server error when the status cannot be loaded', async () => {
    const api = new InMemoryIngestionKeysApi();
    let fail: (error: Error) => void = () => {};
    api.getProvisioningStatus = () =>
      new Promise((_, reject) => {
        fail = reject;
      });
    await renderInPluginApp(<ProvisioningOverview />, { api });
    const section = screen.getByRole('region', { name: 'Provisioning' });
    expect(within(section).getByTestId('progress')).toBeInTheDocument();

    fail(new Error('The ingestion-keys database is unavailable'));
    expect(
      await within(section).findByText(
        /Could not load the provisioning status/,
      ),
    ).toBeInTheDocument();
    expect(section).toHaveTextContent(
      'The ingestion-keys database is unavailable',
    );
  });
});
