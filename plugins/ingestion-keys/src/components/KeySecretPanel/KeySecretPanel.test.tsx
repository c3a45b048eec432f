import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ingestionKeyRevealPermission } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  InMemoryIngestionKeysApi,
  testSettings,
} from '../../__testUtils__/InMemoryIngestionKeysApi';
import { permissionApiDenying } from '../../__testUtils__/permissions';
import {
  renderInPluginApp,
  testEntityRef,
} from '../../__testUtils__/renderInPluginApp';
import { KeySecretPanel } from './KeySecretPanel';

async function setup(entityRef = testEntityRef) {
  const api = new InMemoryIngestionKeysApi();
  const { key } = await api.createKey({
    entityRef,
    environment: 'production',
    type: 'thirdParty',
  });
  return { api, key };
}

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => state,
  });
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

describe('KeySecretPanel', () => {
  afterEach(() => setVisibility('visible'));

  it('masks the key until it is revealed', async () => {
    const { api, key } = await setup();
    const onRevealed = jest.fn();
    await renderInPluginApp(
      <KeySecretPanel
        ingestionKey={key}
        settings={testSettings}
        onRevealed={onRevealed}
      />,
      { api },
    );
    expect(screen.getByLabelText('Key value')).toHaveValue('•'.repeat(32));
    expect(screen.queryByRole('button', { name: 'Copy key' })).toBeNull();

    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Reveal' })).toBeEnabled(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reveal' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Key value')).toHaveValue('gcik_fake_key-1'),
    );
    expect(onRevealed).toHaveBeenCalledTimes(1);
  });

  it('hides the key again when the browser tab is left', async () => {
    const { api, key } = await setup();
    await renderInPluginApp(
      <KeySecretPanel
        ingestionKey={key}
        settings={testSettings}
        initialSecret="gcik_just_created"
      />,
      { api },
    );
    expect(screen.getByLabelText('Key value')).toHaveValue('gcik_just_created');

    setVisibility('hidden');
    expect(screen.getByLabelText('Key value')).toHaveValue('•'.repeat(32));
    expect(document.body).not.toHaveTextContent('gcik_just_created');
  });

  it('says why the key cannot be revealed', async () => {
    // Another entity than the other tests: permission decisions are cached per resource.
    const { api, key } = await setup('component:default/orders-db');
    await renderInPluginApp(
      <KeySecretPanel ingestionKey={key} settings={testSettings} />,
      {
        api,
        permissionApi: permissionApiDenying(ingestionKeyRevealPermission),
      },
    );
    const reveal = screen.getByRole('button', { name: 'Reveal' });
    await userEvent.hover(reveal.parentElement!);
    await waitFor(() =>
      expect(screen.getByRole('tooltip')).toHaveTextContent(
        'You are not allowed to reveal keys of orders-db',
      ),
    );
    expect(reveal).toBeDisabled();
  });
});
