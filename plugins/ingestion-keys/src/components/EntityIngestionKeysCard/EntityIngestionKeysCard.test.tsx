import { screen, within } from '@testing-library/react';
import { InMemoryIngestionKeysApi } from '../../__testUtils__/InMemoryIngestionKeysApi';
import {
  renderInPluginApp,
  testEntityRef,
} from '../../__testUtils__/renderInPluginApp';
import { EntityIngestionKeysCard } from './EntityIngestionKeysCard';

describe('EntityIngestionKeysCard', () => {
  it('summarises the keys per environment', async () => {
    const api = new InMemoryIngestionKeysApi();
    const sensor = await api.createKey({
      entityRef: testEntityRef,
      environment: 'production',
      type: 'sensor',
    });
    await api.rotateKey(sensor.key.id);
    await api.createKey({
      entityRef: testEntityRef,
      environment: 'production',
      type: 'thirdParty',
      integration: 'otel-collector',
    });
    await renderInPluginApp(<EntityIngestionKeysCard />, { api });

    const list = await screen.findByRole('list', {
      name: 'Keys per environment',
    });
    const [production, staging] = within(list).getAllByRole('listitem');
    expect(production).toHaveTextContent(
      'production3 keys: Sensor, Third Party · 1 rotating',
    );
    expect(staging).toHaveTextContent('stagingNo keys');
    expect(
      screen.getByRole('link', { name: /Manage ingestion keys/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/ingestion-keys',
    );
  });

  it('says so when the entity has no keys', async () => {
    await renderInPluginApp(<EntityIngestionKeysCard />);
    expect(
      await screen.findByText(/No ingestion keys yet/),
    ).toBeInTheDocument();
  });

  it('shows the error when the keys cannot be loaded', async () => {
    const api = new InMemoryIngestionKeysApi();
    api.getSettings = async () => {
      throw new Error('settings are unavailable');
    };
    await renderInPluginApp(<EntityIngestionKeysCard />, { api });
    expect(
      (await screen.findAllByText(/settings are unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
