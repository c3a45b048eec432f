import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { KeyStoreError } from '@ingestion-keys/plugin-ingestion-keys-node';
import {
  GroundcoverContractServer,
  GroundcoverContractServerOptions,
} from '../testUtils';
import {
  GroundcoverClient,
  GroundcoverClientOptions,
} from './GroundcoverClient';

/** For calls that should succeed: far more than a local call takes on a loaded machine. */
const CALL_TIMEOUT_MS = 5_000;
/**
 * For calls that should time out while the call has to reach the server first (the tests count
 * it): long enough for that on a loaded machine, short enough to wait for.
 */
const TIMEOUT_MS = 1_000;

describe('GroundcoverClient', () => {
  let server: GroundcoverContractServer;

  async function start(options: GroundcoverContractServerOptions = {}) {
    server = await GroundcoverContractServer.start(options);
  }

  function client(options: Partial<GroundcoverClientOptions> = {}) {
    return GroundcoverClient.create({
      baseUrl: server.baseUrl,
      apiKey: server.apiKey,
      backendId: server.backendId,
      timeoutMs: CALL_TIMEOUT_MS,
      retryDelayMs: 5,
      ...options,
    });
  }

  beforeEach(() => start());

  afterEach(() => server.stop());

  it('creates, lists and deletes keys', async () => {
    const created = await client().create({
      name: 'checkout-production-sensor',
      type: 'sensor',
      remoteConfig: true,
      tags: ['entity:component:default/checkout'],
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'checkout-production-sensor',
      key: expect.stringMatching(/^gcik_[0-9a-f]{64}$/),
      type: 'sensor',
      remoteConfig: true,
      tags: ['entity:component:default/checkout'],
      createdBy: 'contract-service-account',
    });
    await client().create({ name: 'storefront-rum', type: 'rum' });

    await expect(client().list()).resolves.toHaveLength(2);
    await expect(
      client().list({ name: 'checkout-production-sensor' }),
    ).resolves.toEqual([created]);
    await expect(client().list({ type: 'rum' })).resolves.toMatchObject([
      { name: 'storefront-rum' },
    ]);

    await client().delete('checkout-production-sensor');
    expect(server.keys().map(key => key.name)).toEqual(['storefront-rum']);
  });

  it('turns tags: null into an empty list', async () => {
    await expect(
      client().create({ name: 'no-tags', type: 'thirdParty' }),
    ).resolves.toMatchObject({ tags: [], remoteConfig: false });
    await expect(client().list()).resolves.toMatchObject([{ tags: [] }]);
  });

  it('accepts a creationDate when groundcover still sends one', async () => {
    await server.stop();
    await start({ withCreationDate: true });
    const created = await client().create({ name: 'dated', type: 'sensor' });
    expect(created.name).toBe('dated');
    expect(created).not.toHaveProperty('creationDate');
  });

  it('leaves out keys of a type the contract does not know', async () => {
    server.seedKey({ name: 'future-kind', type: 'profiling' });
    server.seedKey({ name: 'known-kind', type: 'sensor' });
    await expect(client().list()).resolves.toMatchObject([
      { name: 'known-kind' },
    ]);
  });

  it('keeps a path prefix of the base URL', async () => {
    const prefixed = client({ baseUrl: `${server.baseUrl}/proxy/` });
    await expect(prefixed.list()).rejects.toThrow('groundcover answered 404');
  });

  it.each([200, 202] as const)(
    'accepts %s as a successful delete',
    async deleteStatus => {
      await server.stop();
      await start({ deleteStatus });
      server.seedKey({ name: 'doomed' });
      await client().delete('doomed');
      expect(server.keys()).toEqual([]);
    },
  );

  it('counts a delete of a missing key (404) as done', async () => {
    await expect(client().delete('never-existed')).resolves.toBeUndefined();
    expect(server.calls.delete).toBe(1);
  });

  it('names a rejected API key', async () => {
    const error = await client({ apiKey: 'gcsa_wrong' })
      .list()
      .catch(e => e);
    expect(error).toBeInstanceOf(KeyStoreError);
    expect(error.message).toBe('groundcover rejected the API key');
  });

  it('names a backend that is not inCloud', async () => {
    await server.stop();
    await start({ nonInCloudBackendIds: ['onprem-backend'] });
    const error = await client({ backendId: 'onprem-backend' })
      .create({ name: 'any', type: 'sensor' })
      .catch(e => e);
    expect(error).toBeInstanceOf(KeyStoreError);
    expect(error.message).toMatch(
      /^groundcover backend onprem-backend is not an inCloud backend/,
    );
  });

  it('passes other 400s on as an upstream failure with groundcover’s message', async () => {
    const error = await client()
      .create({ name: 'Not_Valid', type: 'sensor' })
      .catch(e => e);
    expect(error).toBeInstanceOf(KeyStoreError);
    expect(error.statusCode).toBe(502);
    expect(error.message).toContain('name must be lowercase with hyphens');
  });

  it('turns 409 into ConflictError', async () => {
    server.seedKey({ name: 'taken' });
    await expect(
      client().create({ name: 'taken', type: 'sensor' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('names a 500 and its message', async () => {
    server.injectFault({ kind: 'status', status: 500, message: 'db down' });
    const error = await client()
      .list()
      .catch(e => e);
    expect(error).toBeInstanceOf(KeyStoreError);
    expect(error.message).toBe('groundcover answered 500: db down');
    expect(server.calls.list).toBe(1);
  });

  it('names a timeout', async () => {
    server.injectFault({ route: 'list', kind: 'timeout' });
    const error = await client({ timeoutMs: TIMEOUT_MS })
      .list()
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `groundcover did not answer within ${TIMEOUT_MS} ms`,
    );
    expect(server.calls.list).toBe(1);
  });

  it('applies the timeout to slow answers too', async () => {
    // The answer would take far longer than the timeout; stop() ends the wait.
    server.configure({ latencyMs: 60_000 });
    await expect(client({ timeoutMs: 100 }).list()).rejects.toThrow(
      'groundcover did not answer within 100 ms',
    );
  });

  it('names an unreachable groundcover', async () => {
    const { baseUrl } = server;
    await server.stop();
    const error = await client({ baseUrl, listRetries: 0 })
      .list()
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(/^the connection to groundcover failed: /);
    await start();
  });

  describe('retries', () => {
    it.each([
      ['a 503', { kind: 'status', status: 503 } as const],
      ['a 429', { kind: 'status', status: 429 } as const],
      ['a dropped connection', { kind: 'drop' } as const],
    ])('retries list after %s', async (_label, fault) => {
      server.seedKey({ name: 'listed' });
      server.injectFault({ route: 'list', times: 2, ...fault });
      await expect(client().list()).resolves.toMatchObject([
        { name: 'listed' },
      ]);
      expect(server.calls.list).toBe(3);
    });

    it('gives up on list after a bounded number of retries', async () => {
      server.injectFault({
        route: 'list',
        kind: 'status',
        status: 503,
        times: 10,
      });
      await expect(client({ listRetries: 2 }).list()).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
      expect(server.calls.list).toBe(3);
    });

    it('does not retry list after a timeout', async () => {
      server.injectFault({ route: 'list', kind: 'timeout' });
      await expect(client({ timeoutMs: TIMEOUT_MS }).list()).rejects.toThrow(
        'did not answer',
      );
      expect(server.calls.list).toBe(1);
    });

    it.each([
      [
        'a 503',
        { kind: 'status', status: 503 } as const,
        'temporarily unavailable',
      ],
      ['a 429', { kind: 'status', status: 429 } as const, 'rate limiting'],
      ['a dropped connection', { kind: 'drop' } as const, 'connection'],
    ])('never retries create after %s', async (_label, fault, message) => {
      server.injectFault({ route: 'create', ...fault });
      await expect(
        client().create({ name: 'once', type: 'sensor' }),
      ).rejects.toThrow(message);
      expect(server.calls.create).toBe(1);
      expect(server.keys()).toEqual([]);
    });

    it('never retries delete', async () => {
      server.seedKey({ name: 'kept' });
      server.injectFault({ route: 'delete', kind: 'status', status: 503 });
      await expect(client().delete('kept')).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
      expect(server.calls.delete).toBe(1);
      expect(server.keys()).toHaveLength(1);
    });
  });

  it('never puts the API key in an error message', async () => {
    server.injectFault({
      kind: 'status',
      status: 500,
      message: `bad token ${server.apiKey}`,
    });
    const error = await client()
      .list()
      .catch(e => e);
    expect(error.message).toBe(
      'groundcover answered 500: bad token [redacted]',
    );
  });
});
