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
import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { CreateKeyDialog } from './CreateKeyDialog';

async function renderDialog(
  api = new InMemoryIngestionKeysApi(),
  existingKeys: IngestionKey[] = [],
) {
  const onCreated = jest.fn();
  const onClose = jest.fn();
  const onOpenKey = jest.fn();
  await renderInPluginApp(
    <CreateKeyDialog
      entityRef={testEntityRef}
      settings={testSettings}
      existingKeys={existingKeys}
      onClose={onClose}
      onCreated={onCreated}
      onOpenKey={onOpenKey}
    />,
    { api },
  );
  const dialog = screen.getByRole('dialog', { name: 'Create ingestion key' });
  const preview = within(dialog).getByRole('status', {
    name: 'Generated key name',
  });
  return { dialog, preview, onCreated, onClose, onOpenKey };
}

/** Submits the dialog and returns the dialog that then shows the created key. */
async function submitCreate(dialog: HTMLElement) {
  await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
  return screen.findByRole('dialog', { name: 'Key created' });
}

/** The entity's keys as the backend lists them after provisioning made its production sensor key. */
async function provisionedSensor(api: InMemoryIngestionKeysApi) {
  await api.createKey({
    entityRef: testEntityRef,
    environment: 'production',
    type: 'sensor',
  });
  return (await api.listKeys({ entityRef: testEntityRef })).items;
}

describe('CreateKeyDialog', () => {
  it('starts on an identity that has no key yet', async () => {
    const api = new InMemoryIngestionKeysApi();
    const { preview, dialog } = await renderDialog(
      api,
      await provisionedSensor(api),
    );
    expect(preview).toHaveTextContent(/^checkout-api-production-rum$/);
    expect(within(dialog).queryByRole('alert')).toBeNull();
    expect(
      within(dialog).getByRole('button', { name: 'Create' }),
    ).toBeEnabled();
  });

  it('says when the chosen identity already has a key, links to it and does not offer to create it', async () => {
    const api = new InMemoryIngestionKeysApi();
    const keys = await provisionedSensor(api);
    const createKey = jest.spyOn(api, 'createKey');
    const { dialog, onOpenKey } = await renderDialog(api, keys);
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Type'),
      'Sensor',
    );
    const exists = within(dialog).getByRole('alert');
    expect(exists).toHaveTextContent('This key already exists (active)');
    expect(
      within(dialog).getByRole('button', { name: 'Create' }),
    ).toBeDisabled();
    await userEvent.click(
      within(exists).getByRole('button', {
        name: 'Open checkout-api-production-sensor',
      }),
    );
    expect(onOpenKey).toHaveBeenCalledWith(keys[0]);
    // Another integration is another identity.
    await userEvent.type(within(dialog).getByLabelText('Integration'), 'edge');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    expect(createKey).not.toHaveBeenCalled();
  });

  it('previews the generated name live as the user chooses and types', async () => {
    const { dialog, preview } = await renderDialog();
    expect(preview).toHaveTextContent('checkout-api-production-sensor');

    await userEvent.selectOptions(
      within(dialog).getByLabelText('Environment'),
      'staging',
    );
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Type'),
      'Third Party',
    );
    expect(preview).toHaveTextContent('checkout-api-staging-thirdparty');

    await userEvent.type(
      within(dialog).getByLabelText('Integration'),
      'otel-collector',
    );
    expect(preview).toHaveTextContent(
      'checkout-api-staging-thirdparty-otel-collector',
    );
  });

  it('offers remote configuration for sensors only', async () => {
    const { dialog } = await renderDialog();
    expect(
      within(dialog).getByRole('checkbox', { name: /Remote configuration/ }),
    ).toBeChecked();
    await userEvent.selectOptions(within(dialog).getByLabelText('Type'), 'RUM');
    expect(
      within(dialog).queryByRole('checkbox', { name: /Remote configuration/ }),
    ).toBeNull();
  });

  it('rejects an integration label that is not lowercase letters, digits and hyphens', async () => {
    const { dialog, preview } = await renderDialog();
    await userEvent.type(
      within(dialog).getByLabelText('Integration'),
      'OTel Collector',
    );
    expect(dialog).toHaveTextContent(
      'Use lowercase letters, digits and hyphens',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Create' }),
    ).toBeDisabled();
    expect(preview).toHaveTextContent('—');
  });

  it('creates the key and shows it with a copy button and its usage snippets', async () => {
    const api = new InMemoryIngestionKeysApi();
    const createKey = jest.spyOn(api, 'createKey');
    const { dialog, onCreated } = await renderDialog(api);
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: /Remote configuration/ }),
    );
    const result = await submitCreate(dialog);
    expect(createKey).toHaveBeenCalledWith({
      entityRef: testEntityRef,
      environment: 'production',
      type: 'sensor',
      remoteConfig: false,
    });
    expect(onCreated).toHaveBeenCalledTimes(1);
    expect(result).toHaveTextContent('checkout-api-production-sensor is ready');
    expect(within(result).getByLabelText('Key value')).toHaveValue(
      'gcik_fake_key-1',
    );
    expect(
      within(result).getByRole('button', { name: 'Copy key' }),
    ).toBeInTheDocument();
    expect(result).toHaveTextContent(
      'global.groundcover_token=gcik_fake_key-1',
    );
    expect(result).toHaveTextContent('API_KEY: gcik_fake_key-1');
  });

  it('sends no remote-config flag for other types, and the integration when given', async () => {
    const api = new InMemoryIngestionKeysApi();
    const createKey = jest.spyOn(api, 'createKey');
    const { dialog } = await renderDialog(api);
    await userEvent.selectOptions(within(dialog).getByLabelText('Type'), 'RUM');
    await userEvent.type(
      within(dialog).getByLabelText('Integration'),
      'storefront',
    );
    const result = await submitCreate(dialog);
    expect(createKey).toHaveBeenCalledWith({
      entityRef: testEntityRef,
      environment: 'production',
      type: 'rum',
      integration: 'storefront',
    });
    expect(result).toHaveTextContent("apiKey: 'gcik_fake_key-1'");
  });

  it('shows the server message when the key already exists', async () => {
    const api = new InMemoryIngestionKeysApi();
    await api.createKey({
      entityRef: testEntityRef,
      environment: 'production',
      type: 'sensor',
    });
    const { dialog, onCreated } = await renderDialog(api);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create' }),
    );

    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'The key checkout-api-production-sensor already exists',
      ),
    );
    expect(onCreated).not.toHaveBeenCalled();
  });
});
