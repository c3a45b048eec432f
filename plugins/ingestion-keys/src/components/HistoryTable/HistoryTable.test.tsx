import { screen, within } from '@testing-library/react';
import { IngestionKeyEvent } from '@ingestion-keys/plugin-ingestion-keys-common';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { HistoryTable } from './HistoryTable';

const event = (overrides: Partial<IngestionKeyEvent>): IngestionKeyEvent => ({
  id: 'e1',
  keyId: 'k1',
  keyName: 'checkout-api-production-sensor',
  entityRef: 'component:default/checkout-api',
  action: 'created',
  actor: 'user:default/alice',
  at: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe('HistoryTable', () => {
  it('shows who did what to which key, and when', async () => {
    await renderInPluginApp(
      <HistoryTable
        title="History"
        events={{
          loading: false,
          value: [
            event({ id: 'e2', action: 'revealed', at: '2026-01-02T00:00:00Z' }),
            event({
              id: 'e3',
              action: 'adopted',
              actor: 'plugin:ingestion-keys/provisioner',
            }),
          ],
        }}
      />,
    );
    const history = screen.getByRole('region', { name: 'History' });
    const [, revealed, adopted] = within(history).getAllByRole('row');
    expect(revealed).toHaveTextContent('Revealed');
    expect(within(revealed).getByRole('link', { name: 'alice' })).toBeVisible();
    expect(
      within(revealed).getByText('checkout-api-production-sensor'),
    ).toBeVisible();
    // Services have no catalog page: they are named, not linked.
    expect(within(adopted).getByText('provisioner')).toHaveAttribute(
      'title',
      'plugin:ingestion-keys/provisioner',
    );
    expect(within(adopted).queryByRole('link')).toBeNull();
  });

  it('says when nothing has happened yet', async () => {
    await renderInPluginApp(
      <HistoryTable title="History" events={{ loading: false, value: [] }} />,
    );
    expect(screen.getByText('Nothing has happened yet.')).toBeInTheDocument();
  });

  it('shows progress, then errors', async () => {
    const { rerender } = await renderInPluginApp(
      <HistoryTable title="History" events={{ loading: true }} />,
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    rerender(
      <HistoryTable
        title="History"
        events={{ loading: false, error: new Error('events unavailable') }}
      />,
    );
    expect(screen.getAllByText(/events unavailable/).length).toBeGreaterThan(0);
  });
});
