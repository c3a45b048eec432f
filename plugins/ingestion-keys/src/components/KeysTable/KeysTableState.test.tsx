import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { useState } from 'react';
import { keyResponse } from '../../__testUtils__/keyResponse';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { KeysTable } from './KeysTable';

const pusher = (i: number): IngestionKey => ({
  ...keyResponse,
  id: `k${i}`,
  name: `checkout-api-production-thirdparty-pusher-${String(i).padStart(
    2,
    '0',
  )}`,
  type: 'thirdParty',
  integration: `pusher-${String(i).padStart(2, '0')}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
});

/** The entity tab's situation: the list reloads after every change, as new objects. */
const Reloading = () => {
  const [count, setCount] = useState(25);
  const [keys, setKeys] = useState(() =>
    Array.from({ length: 25 }, (_, i) => pusher(i)),
  );
  const reload = (n: number) => {
    setCount(n);
    setKeys(Array.from({ length: n }, (_, i) => pusher(i)));
  };
  return (
    <>
      <button onClick={() => reload(count)}>Reload</button>
      <button onClick={() => reload(count + 1)}>Add a key</button>
      <KeysTable
        title="Keys"
        emptyMessage="No keys"
        onOpen={() => {}}
        data={keys}
      />
    </>
  );
};

describe('KeysTable state', () => {
  const nodeEnv = process.env.NODE_ENV;
  // material-table checks its columns only in development builds.
  beforeEach(() => {
    process.env.NODE_ENV = 'development';
  });
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('keeps the reader’s sort order and page when the keys reload', async () => {
    const warn = jest.spyOn(console, 'warn');
    await renderInPluginApp(<Reloading />);
    const table = screen.getByRole('region', { name: 'Keys' });
    const firstName = () =>
      within(table).getAllByText(
        /^checkout-api-production-thirdparty-pusher/,
      )[0].textContent;
    // Newest first until the reader sorts.
    expect(firstName()).toBe(pusher(24).name);

    // Sorted by name one way, then the other: the second way is ascending or descending.
    await userEvent.click(within(table).getByRole('button', { name: 'Name' }));
    const once = firstName();
    await userEvent.click(within(table).getByRole('button', { name: 'Name' }));
    expect(firstName()).not.toBe(once);
    const ascending = firstName() === pusher(0).name;
    expect(firstName()).toBe(ascending ? pusher(0).name : pusher(24).name);
    await userEvent.click(
      within(table).getByRole('button', { name: 'Next Page' }),
    );
    const secondPage = ascending ? pusher(20).name : pusher(4).name;
    expect(firstName()).toBe(secondPage);

    // The same keys again: nothing changes, and material-table has nothing to warn about.
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(firstName()).toBe(secondPage);
    expect(within(table).getAllByText('21-25 of 25')).not.toHaveLength(0);
    expect(warn).not.toHaveBeenCalledWith(
      expect.stringContaining('The columns provided to material table'),
    );

    // A new key: still sorted by name and on the second page.
    await userEvent.click(screen.getByRole('button', { name: 'Add a key' }));
    expect(firstName()).toBe(ascending ? pusher(20).name : pusher(5).name);
    expect(within(table).getAllByText('21-26 of 26')).not.toHaveLength(0);
  });
});
