import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { ingestionKeyRevealPermission } from '@ingestion-keys/plugin-ingestion-keys-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { IngestionKeysClient } from '../../api';
import {
  InMemoryIngestionKeysApi,
  testDeliveryKinds,
} from '../../__testUtils__/InMemoryIngestionKeysApi';
import { keyResponse } from '../../__testUtils__/keyResponse';
import { permissionApiDenying } from '../../__testUtils__/permissions';
import {
  renderInPluginApp,
  testEntityRef,
} from '../../__testUtils__/renderInPluginApp';
import { DeliveryTargetsPanel } from './DeliveryTargetsPanel';

const SENSOR = 'checkout-api-production-sensor';

async function apiWithKey(
  options: ConstructorParameters<typeof InMemoryIngestionKeysApi>[0] = {},
  entityRef = testEntityRef,
) {
  const api = new InMemoryIngestionKeysApi(options);
  const { key } = await api.createKey({
    entityRef,
    environment: 'production',
    type: 'sensor',
  });
  return { api, key };
}

/** The list item of a target, found by its address. */
function item(target: string) {
  const list = screen.getByRole('list', { name: 'Delivery targets' });
  const found = within(list)
    .getAllByRole('listitem')
    .find(li => within(li).queryByText(target, { exact: true }));
  if (!found) {
    throw new Error(`No target ${target}`);
  }
  return found;
}

/** The key's value, which the in-memory API makes `gcik_fake_<id>`, must appear nowhere. */
function expectNoKeyValue() {
  expect(document.body.innerHTML).not.toContain('gcik_fake_');
}

describe('DeliveryTargetsPanel', () => {
  it('lists the targets with where they come from and how their last delivery went', async () => {
    const { api, key } = await apiWithKey();
    api.declareTarget(key.id, 'kubernetes:prod-eu/groundcover');
    api.failDeliveriesTo(
      'kubernetes:prod-us/groundcover',
      'namespace not found',
    );
    await api.addDeliveryTarget(key.id, {
      target: 'kubernetes:prod-us/groundcover',
    });
    await api.addDeliveryTarget(key.id, { target: 'external-secrets:eu' });
    // Another identity's target is not this key's.
    const { key: rum } = await api.createKey({
      entityRef: testEntityRef,
      environment: 'production',
      type: 'rum',
    });
    await api.addDeliveryTarget(rum.id, { target: 'kubernetes:rum/web' });

    await renderInPluginApp(<DeliveryTargetsPanel ingestionKey={key} />, {
      api,
    });

    const declared = await waitFor(() =>
      item('kubernetes:prod-eu/groundcover'),
    );
    expect(declared).toHaveTextContent("declared in the entity's annotation");
    expect(declared).toHaveTextContent(
      new RegExp(
        `Delivered (now|\\d+ seconds? ago): Written to kubernetes:prod-eu/groundcover \\(${SENSOR}\\)`,
      ),
    );
    const failing = item('kubernetes:prod-us/groundcover');
    expect(failing).toHaveTextContent('added by alice');
    expect(failing).toHaveTextContent(
      /Failed (now|\d+ seconds? ago): namespace not found/,
    );
    expect(item('external-secrets:eu')).toHaveTextContent(
      'Not fetched yet: External Secrets fetches the key on its next refresh',
    );
    expect(screen.queryByText('kubernetes:rum/web')).not.toBeInTheDocument();

    // Retry only for push targets, Remove only for those added by hand.
    expect(
      within(declared).getByRole('button', {
        name: 'Retry delivery to kubernetes:prod-eu/groundcover',
      }),
    ).toBeInTheDocument();
    expect(
      within(declared).queryByRole('button', { name: /^Remove/ }),
    ).not.toBeInTheDocument();
    expect(
      within(item('external-secrets:eu')).queryByRole('button', {
        name: /^Retry/,
      }),
    ).not.toBeInTheDocument();
    expect(
      within(item('external-secrets:eu')).getByRole('button', {
        name: 'Remove external-secrets:eu',
      }),
    ).toBeInTheDocument();
    expectNoKeyValue();
  });

  it('shows the ExternalSecret to paste for a pull target, naming the key, never its value', async () => {
    const { api, key } = await apiWithKey();
    await api.addDeliveryTarget(key.id, { target: 'external-secrets:eu' });
    await renderInPluginApp(<DeliveryTargetsPanel ingestionKey={key} />, {
      api,
    });
    const manifests = await screen.findByRole('region', {
      name: 'External Secrets manifests for eu',
    });
    expect(manifests).toHaveTextContent(`key: "${SENSOR}"`);
    expect(manifests).toHaveTextContent(
      '/api/ingestion-keys/v1/external-secrets/eu/{{ .remoteRef.key }}',
    );
    expectNoKeyValue();
  });

  it('adds a target from a kind and an address and shows how its delivery went', async () => {
    const { api, key } = await apiWithKey();
    const onChanged = jest.fn();
    await renderInPluginApp(
      <DeliveryTargetsPanel ingestionKey={key} onChanged={onChanged} />,
      { api },
    );
    const kind = await screen.findByLabelText('Target kind');
    expect(kind).toHaveValue('kubernetes');
    expect(
      screen.getByText(`Written ${testDeliveryKinds[0].addressFormat}`),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByLabelText('Address'),
      'prod-eu/groundcover',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add target' }));

    expect(await screen.findByRole('status')).toHaveTextContent(
      /^Added kubernetes:prod-eu\/groundcover\. Delivered /,
    );
    await waitFor(() => item('kubernetes:prod-eu/groundcover'));
    expect(screen.getByLabelText('Address')).toHaveValue('');
    expect(onChanged).toHaveBeenCalled();
    expectNoKeyValue();
  });

  it('retries a failed delivery and shows the new outcome', async () => {
    const { api, key } = await apiWithKey();
    api.failDeliveriesTo(
      'kubernetes:prod-eu/groundcover',
      'cluster unreachable',
    );
    await api.addDeliveryTarget(key.id, {
      target: 'kubernetes:prod-eu/groundcover',
    });
    await renderInPluginApp(<DeliveryTargetsPanel ingestionKey={key} />, {
      api,
    });
    const target = await waitFor(() => item('kubernetes:prod-eu/groundcover'));
    expect(target).toHaveTextContent(/Failed .*: cluster unreachable/);

    api.failDeliveriesTo('kubernetes:prod-eu/groundcover', undefined);
    await userEvent.click(
      within(target).getByRole('button', {
        name: 'Retry delivery to kubernetes:prod-eu/groundcover',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      /^kubernetes:prod-eu\/groundcover: Delivered /,
    );
    await waitFor(() =>
      expect(item('kubernetes:prod-eu/groundcover')).toHaveTextContent(
        /Delivered /,
      ),
    );
  });

  it('removes a target added by hand', async () => {
    const { api, key } = await apiWithKey();
    await api.addDeliveryTarget(key.id, { target: 'external-secrets:eu' });
    await renderInPluginApp(<DeliveryTargetsPanel ingestionKey={key} />, {
      api,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Remove external-secrets:eu' }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Removed external-secrets:eu',
    );
    expect(
      await screen.findByText('Not delivered anywhere yet.'),
    ).toBeInTheDocument();
    await expect(api.listDeliveryTargets(testEntityRef)).resolves.toEqual({
      items: [],
    });
  });

  it('offers no changes to those who may not reveal the key, saying why', async () => {
    // Another entity than the other tests: permission decisions are cached per resource.
    const { api, key } = await apiWithKey(
      {},
      'component:default/payments-worker',
    );
    await api.addDeliveryTarget(key.id, {
      target: 'kubernetes:prod-eu/groundcover',
    });
    await renderInPluginApp(<DeliveryTargetsPanel ingestionKey={key} />, {
      api,
      permissionApi: permissionApiDenying(ingestionKeyRevealPermission),
    });
    expect(
      await screen.findByText(
        'You are not allowed to reveal keys of payments-worker, so you cannot change where it is delivered.',
      ),
    ).toBeInTheDocument();
    expect(item('kubernetes:prod-eu/groundcover')).toHaveTextContent(
      /Delivered /,
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Address')).not.toBeInTheDocument();
  });

  it('says that the portal has no delivery targets when no kind is configured', async () => {
    const { api, key } = await apiWithKey({ deliveryKinds: [] });
    await renderInPluginApp(<DeliveryTargetsPanel ingestionKey={key} />, {
      api,
    });
    expect(
      await screen.findByText(
        'This portal has no delivery targets configured.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Address')).not.toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  describe('against the backend API', () => {
    const baseUrl = 'http://localhost:7007/api/ingestion-keys';
    const server = setupServer();
    registerMswTestHooks(server);

    it("shows the server's message under the form when it refuses a target", async () => {
      const bodies: unknown[] = [];
      server.use(
        http.get(`${baseUrl}/v1/delivery/kinds`, () =>
          HttpResponse.json({ items: testDeliveryKinds }),
        ),
        http.get(`${baseUrl}/v1/targets`, () =>
          HttpResponse.json({ items: [] }),
        ),
        http.post(`${baseUrl}/v1/keys/k1/targets`, async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json(
            {
              error: {
                name: 'InputError',
                message: 'A kubernetes address is <cluster>/<namespace>',
              },
              response: { statusCode: 400 },
            },
            { status: 400 },
          );
        }),
      );
      const api = new IngestionKeysClient({
        discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        fetchApi: { fetch: (input, init) => fetch(input, init) },
      });
      await renderInPluginApp(
        <DeliveryTargetsPanel ingestionKey={keyResponse} />,
        { api },
      );
      await userEvent.type(await screen.findByLabelText('Address'), 'prod-eu');
      await userEvent.click(screen.getByRole('button', { name: 'Add target' }));

      expect(await screen.findByRole('alert')).toHaveTextContent(
        'A kubernetes address is <cluster>/<namespace>',
      );
      expect(bodies).toEqual([{ target: 'kubernetes:prod-eu' }]);
      // The address stays, to be corrected.
      expect(screen.getByLabelText('Address')).toHaveValue('prod-eu');
    });
  });
});
