import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { keyResponse } from '../../__testUtils__/keyResponse';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { KeysTable } from './KeysTable';

describe('KeysTable', () => {
  it('marks a key replaced outside the portal, and only that one', async () => {
    await renderInPluginApp(
      <KeysTable
        title="Keys"
        emptyMessage="No keys"
        onOpen={() => {}}
        data={[
          keyResponse,
          {
            ...keyResponse,
            id: 'k2',
            name: 'checkout-api-staging-sensor',
            environment: 'staging',
            replacedOutsideAt: '2026-01-02T00:00:00.000Z',
          },
        ]}
      />,
    );
    const table = screen.getByRole('region', { name: 'Keys' });
    const rowOf = (name: string) =>
      within(table).getByText(name).closest('tr') as HTMLElement;
    expect(
      within(rowOf('checkout-api-production-sensor')).queryByText(
        'Replaced outside',
      ),
    ).toBeNull();
    const chip = within(rowOf('checkout-api-staging-sensor')).getByText(
      'Replaced outside',
    );
    await userEvent.hover(chip);
    expect(
      await screen.findByText(/neither revealed nor revoked from here/),
    ).toBeVisible();
  });
});
