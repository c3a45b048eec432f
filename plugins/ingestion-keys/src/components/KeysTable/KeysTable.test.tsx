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

describe('KeysTable on a narrow screen', () => {
  const longName = 'checkout-api-production-thirdparty-otel-collector-eu-west';

  it('shows a long name on one line, whole on hover, with a button that copies it', async () => {
    await renderInPluginApp(
      <KeysTable
        title="Keys"
        emptyMessage="No keys"
        onOpen={() => {}}
        data={[{ ...keyResponse, name: longName }]}
      />,
    );
    const name = screen.getByText(longName);
    expect(name).toHaveStyle({ whiteSpace: 'nowrap', overflow: 'hidden' });
    await userEvent.hover(name);
    expect(
      await screen.findByRole('tooltip', { name: longName }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: `Copy name ${longName}` }),
    ).toBeInTheDocument();
  });

  it('lets the reader hide columns, but not the name or the actions', async () => {
    await renderInPluginApp(
      <KeysTable
        title="Keys"
        emptyMessage="No keys"
        onOpen={() => {}}
        data={[keyResponse]}
      />,
    );
    const table = screen.getByRole('region', { name: 'Keys' });
    expect(
      within(table).getByRole('columnheader', { name: 'Environment' }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(table).getByRole('button', { name: 'Show Columns' }),
    );
    const menu = await screen.findByRole('menu');
    for (const fixed of [/Name/, /Actions/]) {
      expect(
        within(menu).getByRole('menuitem', { name: fixed }),
      ).toHaveAttribute('aria-disabled', 'true');
    }
    await userEvent.click(
      within(menu).getByRole('menuitem', { name: /Environment/ }),
    );
    await userEvent.keyboard('{Escape}');
    expect(
      within(table).queryByRole('columnheader', { name: 'Environment' }),
    ).toBeNull();
  });
});
