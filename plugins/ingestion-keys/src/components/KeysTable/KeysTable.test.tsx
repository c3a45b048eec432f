import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KeyDeliveryTarget } from '@ingestion-keys/plugin-ingestion-keys-common';
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

describe('KeysTable rotation reminders', () => {
  it('marks a key whose rotation is due, and not one due later or never', async () => {
    const day = 24 * 3600 * 1000;
    await renderInPluginApp(
      <KeysTable
        title="Keys"
        emptyMessage="No keys"
        onOpen={() => {}}
        data={[
          {
            ...keyResponse,
            rotationDueAt: new Date(Date.now() - 3 * day).toISOString(),
          },
          {
            ...keyResponse,
            id: 'k2',
            name: 'checkout-api-staging-sensor',
            rotationDueAt: new Date(Date.now() + 3 * day).toISOString(),
          },
          { ...keyResponse, id: 'k3', name: 'checkout-api-production-rum' },
        ]}
      />,
    );
    const table = screen.getByRole('region', { name: 'Keys' });
    const rowOf = (name: string) =>
      within(table).getByText(name).closest('tr') as HTMLElement;
    for (const name of [
      'checkout-api-staging-sensor',
      'checkout-api-production-rum',
    ]) {
      expect(within(rowOf(name)).queryByText('Rotation due')).toBeNull();
    }
    const chip = within(rowOf('checkout-api-production-sensor')).getByText(
      'Rotation due',
    );
    await userEvent.hover(chip);
    expect(
      await screen.findByText(
        /Due for rotation 3 days ago .*: rotate it, roll the successor out to its senders, then revoke this key\./,
      ),
    ).toBeVisible();
  });
});

describe('KeysTable delivery column', () => {
  const target: KeyDeliveryTarget = {
    id: 't1',
    entityRef: keyResponse.entityRef,
    environment: keyResponse.environment,
    type: keyResponse.type,
    target: 'kubernetes:prod-eu/groundcover',
    kind: 'kubernetes',
    pull: false,
    origin: 'manual',
    addedBy: 'user:default/alice',
    addedAt: '2026-01-01T00:00:00.000Z',
    lastDelivery: {
      keyId: keyResponse.id,
      keyName: keyResponse.name,
      generation: 1,
      outcome: 'failed',
      // Minutes, not seconds, ago: the relative time stays the same while the test runs.
      at: new Date(Date.now() - 5 * 60_000 - 1_000).toISOString(),
      error: 'namespace groundcover not found',
    },
  };
  const delivered: KeyDeliveryTarget = {
    ...target,
    id: 't2',
    target: 'kubernetes:prod-us/groundcover',
    lastDelivery: {
      ...target.lastDelivery!,
      outcome: 'delivered',
      error: undefined,
      location: 'Secret api-key in groundcover',
    },
  };
  const stagingKey = {
    ...keyResponse,
    id: 'k2',
    name: 'checkout-api-staging-sensor',
    environment: 'staging',
  };

  it("shows each key's targets, a failure in words, the details on hover, and opens the delivery dialog", async () => {
    const onOpen = jest.fn();
    await renderInPluginApp(
      <KeysTable
        title="Keys"
        emptyMessage="No keys"
        onOpen={onOpen}
        data={[keyResponse, stagingKey]}
        deliveryTargets={{ targets: [target, delivered] }}
      />,
    );
    const table = screen.getByRole('region', { name: 'Keys' });
    const rowOf = (name: string) =>
      within(table).getByText(name).closest('tr') as HTMLElement;
    expect(
      within(table).getByRole('columnheader', { name: 'Delivered to' }),
    ).toBeInTheDocument();
    expect(
      within(rowOf('checkout-api-staging-sensor')).getByText('None'),
    ).toBeInTheDocument();

    const chip = within(rowOf('checkout-api-production-sensor')).getByRole(
      'button',
      { name: '1 failed of 2 targets: open delivery' },
    );
    expect(chip).toHaveTextContent('1 failed');
    await userEvent.hover(chip);
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent(
      'kubernetes:prod-eu/groundcoverFailed 5 minutes ago: namespace groundcover not found',
    );
    expect(tooltip).toHaveTextContent(
      'kubernetes:prod-us/groundcoverDelivered 5 minutes ago: Secret api-key in groundcover',
    );

    await userEvent.click(chip);
    expect(onOpen).toHaveBeenCalledWith({
      kind: 'delivery',
      key: expect.objectContaining({ id: keyResponse.id }),
    });
  });

  it('says when the targets could not be loaded, and lets the reader hide the column', async () => {
    await renderInPluginApp(
      <KeysTable
        title="Keys"
        emptyMessage="No keys"
        onOpen={() => {}}
        data={[keyResponse]}
        deliveryTargets={{ error: new Error('Service unavailable') }}
      />,
    );
    const table = screen.getByRole('region', { name: 'Keys' });
    await userEvent.hover(within(table).getByText('Unknown'));
    expect(
      await screen.findByText(
        'Delivery targets not loaded: Service unavailable',
      ),
    ).toBeVisible();

    await userEvent.click(
      within(table).getByRole('button', { name: 'Show Columns' }),
    );
    await userEvent.click(
      within(await screen.findByRole('menu')).getByRole('menuitem', {
        name: /Delivered to/,
      }),
    );
    await userEvent.keyboard('{Escape}');
    expect(
      within(table).queryByRole('columnheader', { name: 'Delivered to' }),
    ).toBeNull();
  });

  it('has no delivery column where no targets are given (the organisation-wide tables)', async () => {
    await renderInPluginApp(
      <KeysTable
        title="Keys"
        emptyMessage="No keys"
        onOpen={() => {}}
        data={[keyResponse]}
      />,
    );
    expect(
      screen.queryByRole('columnheader', { name: 'Delivered to' }),
    ).toBeNull();
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
