import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { keyResponse } from '../__testUtils__/keyResponse';
import { IngestionKeysClient } from './IngestionKeysClient';

const baseUrl = 'http://localhost:7007/api/ingestion-keys';
const server = setupServer();
registerMswTestHooks(server);

const key = keyResponse;

function createClient() {
  return new IngestionKeysClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

/** Records every request the client sends, answering with `body`. */
function capture(
  method: 'get' | 'post' | 'delete',
  path: string,
  body: unknown,
  status = 200,
) {
  const requests: Request[] = [];
  server.use(
    http[method](`${baseUrl}${path}`, ({ request }) => {
      requests.push(request.clone());
      return HttpResponse.json(body as any, { status });
    }),
  );
  return requests;
}

describe('IngestionKeysClient', () => {
  it('gets the settings', async () => {
    const settings = { environments: ['production'] };
    capture('get', '/v1/settings', settings);
    await expect(createClient().getSettings()).resolves.toEqual(settings);
  });

  it('lists keys with the query in the search string, leaving out unset fields', async () => {
    const requests = capture('get', '/v1/keys', {
      items: [key],
      totalCount: 1,
    });
    const result = await createClient().listKeys({
      entityRef: 'component:default/checkout-api',
      type: 'sensor',
      environment: undefined,
      includeRevoked: true,
      orderBy: 'createdBy',
      order: 'desc',
      limit: 20,
      offset: 40,
    });
    expect(result).toEqual({ items: [key], totalCount: 1 });
    const url = new URL(requests[0].url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      entityRef: 'component:default/checkout-api',
      type: 'sensor',
      includeRevoked: 'true',
      orderBy: 'createdBy',
      order: 'desc',
      limit: '20',
      offset: '40',
    });
  });

  it('creates a key with a JSON POST', async () => {
    const requests = capture(
      'post',
      '/v1/keys',
      { key, secret: 'gcik_secret' },
      201,
    );
    const request = {
      entityRef: key.entityRef,
      environment: 'production',
      type: 'sensor' as const,
      remoteConfig: true,
    };
    await expect(createClient().createKey(request)).resolves.toEqual({
      key,
      secret: 'gcik_secret',
    });
    expect(requests[0].headers.get('content-type')).toBe('application/json');
    await expect(requests[0].json()).resolves.toEqual(request);
  });

  it('reveals, rotates and revokes with the method and path of each route', async () => {
    const reveal = capture('post', '/v1/keys/k%2F1/reveal', {
      id: 'k/1',
      name: key.name,
      secret: 'gcik_secret',
    });
    const rotate = capture(
      'post',
      '/v1/keys/k%2F1/rotate',
      { key, secret: 'gcik_new' },
      201,
    );
    const revoke = capture('delete', '/v1/keys/k%2F1', {
      ...key,
      status: 'revoked',
    });
    const client = createClient();

    await expect(client.revealKey('k/1')).resolves.toMatchObject({
      secret: 'gcik_secret',
    });
    await expect(client.rotateKey('k/1')).resolves.toMatchObject({
      secret: 'gcik_new',
    });
    await expect(client.revokeKey('k/1')).resolves.toMatchObject({
      status: 'revoked',
    });
    expect([reveal.length, rotate.length, revoke.length]).toEqual([1, 1, 1]);
    // Secrets travel in response bodies only, never in a URL.
    expect(reveal[0].url).not.toContain('secret');
  });

  it('lists the events of a key and of an entity', async () => {
    const event = { id: 'e1', action: 'created' };
    capture('get', '/v1/keys/k1/events', { items: [event] });
    const entityRequests = capture('get', '/v1/events', { items: [event] });
    const client = createClient();

    await expect(client.listKeyEvents('k1')).resolves.toEqual({
      items: [event],
    });
    await expect(
      client.listEntityEvents('component:default/checkout-api'),
    ).resolves.toEqual({ items: [event] });
    expect(new URL(entityRequests[0].url).searchParams.get('entityRef')).toBe(
      'component:default/checkout-api',
    );
  });

  it("gets an entity's provisioning status with the entity ref in the query", async () => {
    const status = {
      entityRef: 'component:default/checkout-api',
      annotation: 'production:sensor',
      entries: [],
      invalidEntries: [],
      undesired: [],
    };
    const requests = capture('get', '/v1/provisioning/status', status);
    await expect(
      createClient().getEntityProvisioningStatus(
        'component:default/checkout-api',
      ),
    ).resolves.toEqual(status);
    expect(requests).toHaveLength(1);
    expect(Object.fromEntries(new URL(requests[0].url).searchParams)).toEqual({
      entityRef: 'component:default/checkout-api',
    });
  });

  it("gets the organisation's provisioning status without a query", async () => {
    const status = { undesired: [] };
    const requests = capture('get', '/v1/provisioning/status', status);
    await expect(createClient().getProvisioningStatus()).resolves.toEqual(
      status,
    );
    expect(requests[0].method).toBe('GET');
    expect(new URL(requests[0].url).search).toBe('');
  });

  it('triggers a provisioning run with a POST', async () => {
    const requests = capture(
      'post',
      '/v1/provisioning/run',
      { status: 'triggered' },
      202,
    );
    await expect(createClient().triggerProvisioningRun()).resolves.toEqual({
      status: 'triggered',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe('POST');
    expect(requests[0].url).toBe(`${baseUrl}/v1/provisioning/run`);
  });

  it('throws a ResponseError when a provisioning request is refused', async () => {
    const forbidden = {
      error: {
        name: 'NotAllowedError',
        message: 'Only ingestion-keys administrators may start a run',
      },
      response: { statusCode: 403 },
    };
    capture('post', '/v1/provisioning/run', forbidden, 403);
    capture('get', '/v1/provisioning/status', forbidden, 403);
    const client = createClient();

    for (const call of [
      () => client.triggerProvisioningRun(),
      () => client.getProvisioningStatus(),
    ]) {
      const error = await call().catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toBe(
        'Only ingestion-keys administrators may start a run',
      );
    }
  });

  describe('delivery targets', () => {
    const target = {
      id: 't/1',
      entityRef: key.entityRef,
      environment: 'production',
      type: 'sensor',
      target: 'kubernetes:prod-eu/groundcover',
      kind: 'kubernetes',
      pull: false,
      origin: 'manual',
      addedBy: 'user:default/alice',
      addedAt: '2026-01-02T00:00:00.000Z',
    };

    it('lists the kinds, the targets of an entity and the failed deliveries', async () => {
      const kinds = {
        items: [
          { kind: 'kubernetes', addressFormat: '<cluster>/<ns>', pull: false },
        ],
      };
      capture('get', '/v1/delivery/kinds', kinds);
      const entityTargets = capture('get', '/v1/targets', { items: [target] });
      const failed = capture('get', '/v1/targets/failed', { items: [] });
      const client = createClient();

      await expect(client.listDeliveryTargetKinds()).resolves.toEqual(kinds);
      await expect(
        client.listDeliveryTargets('component:default/checkout-api'),
      ).resolves.toEqual({ items: [target] });
      await expect(client.listFailedDeliveries()).resolves.toEqual({
        items: [],
      });
      expect(
        Object.fromEntries(new URL(entityTargets[0].url).searchParams),
      ).toEqual({ entityRef: 'component:default/checkout-api' });
      expect(new URL(failed[0].url).search).toBe('');
    });

    it('adds a target to a key with a JSON POST', async () => {
      const requests = capture('post', '/v1/keys/k%2F1/targets', target, 201);
      await expect(
        createClient().addDeliveryTarget('k/1', {
          target: 'kubernetes:prod-eu/groundcover',
        }),
      ).resolves.toEqual(target);
      expect(requests[0].headers.get('content-type')).toBe('application/json');
      await expect(requests[0].json()).resolves.toEqual({
        target: 'kubernetes:prod-eu/groundcover',
      });
    });

    it('delivers again with a POST and removes a target with a DELETE answered 204', async () => {
      const deliver = capture('post', '/v1/targets/t%2F1/deliver', target);
      const removals: Request[] = [];
      server.use(
        http.delete(`${baseUrl}/v1/targets/t%2F1`, ({ request }) => {
          removals.push(request.clone());
          return new HttpResponse(null, { status: 204 });
        }),
      );
      const client = createClient();

      await expect(client.deliverToTarget('t/1')).resolves.toEqual(target);
      await expect(client.removeDeliveryTarget('t/1')).resolves.toBeUndefined();
      expect([deliver.length, removals.length]).toEqual([1, 1]);
    });

    it("throws a ResponseError with the server's message for a bad target", async () => {
      capture(
        'post',
        '/v1/keys/k1/targets',
        {
          error: {
            name: 'InputError',
            message: 'Unknown target kind "s3"',
          },
          response: { statusCode: 400 },
        },
        400,
      );
      const error = await createClient()
        .addDeliveryTarget('k1', { target: 's3:bucket' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(400);
      expect(error.cause.message).toBe('Unknown target kind "s3"');
    });
  });

  it('throws a ResponseError carrying the server message', async () => {
    capture(
      'post',
      '/v1/keys',
      {
        error: {
          name: 'ConflictError',
          message: 'The key checkout-api-production-sensor already exists',
        },
        request: { method: 'POST', url: '/v1/keys' },
        response: { statusCode: 409 },
      },
      409,
    );
    const error = await createClient()
      .createKey({
        entityRef: key.entityRef,
        environment: 'production',
        type: 'sensor',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe(
      'The key checkout-api-production-sensor already exists',
    );
  });
});
