import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  CreateStoredKeyRequest,
  KeyStoreBusyError,
  KeyStoreError,
  StoredKeyTags,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { runKeyStoreContractTests } from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { GroundcoverClient, GroundcoverClientOptions } from './client';
import {
  GroundcoverKeyStore,
  GroundcoverKeyStoreOptions,
} from './GroundcoverKeyStore';
import { encodeKeyTags, KEY_TAG_NAMESPACE } from './keyTags';
import {
  GroundcoverContractServer,
  GroundcoverContractServerOptions,
} from './testUtils';

/** A short list lag, next to which every deadline that a test does not exercise is generous. */
const LIST_LAG_MS = 50;
/** Longer than any test runs: list does not show a write until the test calls `catchUpList()`. */
const NEVER_MS = 60_000;
/** For calls and lookups that should succeed: far more than they take on a loaded machine. */
const GENEROUS_MS = 5_000;
/** For lookups that should give up: list never shows the key, so any value works; short to wait. */
const SHORT_LOOKUP_MS = 100;
/**
 * For creates that the server never answers. The create has to reach the server first (it is
 * committed and counted there): long enough for that on a loaded machine, short enough to wait for.
 */
const CREATE_TIMEOUT_MS = 1_000;

function clientFor(
  server: GroundcoverContractServer,
  options: Partial<GroundcoverClientOptions> = {},
) {
  return GroundcoverClient.create({
    baseUrl: server.baseUrl,
    apiKey: server.apiKey,
    backendId: server.backendId,
    timeoutMs: GENEROUS_MS,
    retryDelayMs: 5,
    ...options,
  });
}

interface TestStoreOptions extends Partial<GroundcoverKeyStoreOptions> {
  /**
   * Creates give up after this long, while the lookups that follow keep a generous timeout:
   * for creates that the server never answers.
   */
  createTimeoutMs?: number;
}

function storeFor(
  server: GroundcoverContractServer,
  { createTimeoutMs, ...options }: TestStoreOptions = {},
) {
  const client = clientFor(server);
  if (createTimeoutMs !== undefined) {
    const impatient = clientFor(server, { timeoutMs: createTimeoutMs });
    jest
      .spyOn(client, 'create')
      .mockImplementation(body => impatient.create(body));
  }
  return GroundcoverKeyStore.create({
    client,
    logger: mockServices.logger.mock(),
    lookupTimeoutMs: GENEROUS_MS,
    lookupIntervalMs: 5,
    ...options,
  });
}

/** The names groundcover's list shows now, lag included. */
async function listedNames(server: GroundcoverContractServer) {
  const keys = await clientFor(server, { listRetries: 0 }).list();
  return keys.map(key => key.name);
}

runKeyStoreContractTests('GroundcoverKeyStore', async () => {
  const server = await GroundcoverContractServer.start({
    listLagMs: LIST_LAG_MS,
  });
  return { store: storeFor(server), cleanup: () => server.stop() };
});

const tags: StoredKeyTags = {
  managedBy: 'backstage-ingestion-keys',
  entityRef: 'component:default/checkout-api',
  environment: 'production',
  type: 'sensor',
  integration: 'otel',
};

const request: CreateStoredKeyRequest = {
  name: 'checkout-api-production-sensor-otel',
  type: 'sensor',
  remoteConfig: true,
  tags,
};

describe('GroundcoverKeyStore', () => {
  let server: GroundcoverContractServer;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let store: GroundcoverKeyStore;

  async function start(
    serverOptions: GroundcoverContractServerOptions = {},
    storeOptions: TestStoreOptions = {},
  ) {
    server = await GroundcoverContractServer.start({
      listLagMs: LIST_LAG_MS,
      ...serverOptions,
    });
    logger = mockServices.logger.mock();
    store = storeFor(server, { logger, ...storeOptions });
  }

  afterEach(() => server.stop());

  describe('list lag', () => {
    beforeEach(() => start({ listLagMs: NEVER_MS }));

    it('finds a key that list does not show yet when asked to wait', async () => {
      const created = await store.create(request);
      await expect(store.get(request.name)).resolves.toBeUndefined();

      server.resetCalls();
      const waiting = store.get(request.name, { waitForVisibility: true });
      // A second look is only made after the first found nothing.
      await server.waitForCalls('list', 2);
      server.catchUpList();
      await expect(waiting).resolves.toEqual(created);
    });

    it('gives up waiting after the lookup timeout', async () => {
      await server.stop();
      await start(
        { listLagMs: NEVER_MS },
        { lookupTimeoutMs: SHORT_LOOKUP_MS },
      );
      await store.create(request);
      await expect(
        store.get(request.name, { waitForVisibility: true }),
      ).resolves.toBeUndefined();
      expect(server.keys()).toHaveLength(1);
    });

    it('hides a deleted key that list still shows, but not its successor', async () => {
      const first = await store.create(request);
      server.catchUpList();
      await expect(
        store.get(request.name, { waitForVisibility: true }),
      ).resolves.toEqual(first);
      await store.delete(request.name);
      expect(await listedNames(server)).toEqual([request.name]);
      await expect(store.list()).resolves.toEqual([]);

      server.configure({ listLagMs: 0 });
      const second = await store.create(request);
      expect(await listedNames(server)).toEqual([request.name, request.name]);
      await expect(
        store.get(request.name, { waitForVisibility: true }),
      ).resolves.toEqual(second);
      await expect(store.list()).resolves.toMatchObject([
        { providerKeyId: second.providerKeyId },
      ]);
      expect(second.providerKeyId).not.toBe(first.providerKeyId);
    });

    it('deletes a key whose id the caller read in one call, and hides it all the same', async () => {
      const created = await store.create(request);
      server.catchUpList();
      const before = { ...server.calls };
      await store.delete(request.name, {
        providerKeyId: created.providerKeyId,
      });
      expect(server.calls.list).toBe(before.list);
      expect(server.calls.delete).toBe(before.delete + 1);
      expect(await listedNames(server)).toEqual([request.name]);
      await expect(store.get(request.name)).resolves.toBeUndefined();
      await expect(store.list()).resolves.toEqual([]);
    });

    it('hides a key deleted before list showed it', async () => {
      await store.create(request);
      await store.delete(request.name);
      server.catchUpList({ deletes: false });
      expect(await listedNames(server)).toEqual([request.name]);
      await expect(store.get(request.name)).resolves.toBeUndefined();
      await expect(store.list()).resolves.toEqual([]);
    });
  });

  describe('uncertain creates', () => {
    it.each([
      ['timed out', { kind: 'timeout' } as const],
      ['answered 500', { kind: 'status', status: 500 } as const],
      ['answered 503', { kind: 'status', status: 503 } as const],
      ['dropped the connection', { kind: 'drop' } as const],
    ])(
      'resolves a create that committed but %s by looking it up',
      async (_label, fault) => {
        await start(
          {},
          {
            listCacheTtlMs: 0,
            ...(fault.kind === 'timeout' && {
              createTimeoutMs: CREATE_TIMEOUT_MS,
            }),
          },
        );
        server.injectFault({ route: 'create', afterCommit: true, ...fault });

        const created = await store.create(request);

        expect(server.calls.create).toBe(1);
        expect(server.keys()).toHaveLength(1);
        expect(created).toEqual({
          providerKeyId: server.keys()[0].id,
          name: request.name,
          type: 'sensor',
          remoteConfig: true,
          tags,
          secret: server.keys()[0].key,
        });
      },
    );

    it('says a create that did not commit is safe to retry', async () => {
      await start({}, { lookupTimeoutMs: SHORT_LOOKUP_MS });
      server.injectFault({ route: 'create', kind: 'status', status: 500 });

      const error = await store.create(request).catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^the outcome of creating ingestion key checkout-api-production-sensor-otel in groundcover is unknown \(groundcover answered 500: injected 500\).*retrying is safe$/,
      );
      expect(server.calls.create).toBe(1);
      expect(server.keys()).toEqual([]);

      await expect(store.create(request)).resolves.toMatchObject({
        name: request.name,
      });
      expect(server.keys()).toHaveLength(1);
    });

    it('refuses a key someone else created in the meantime', async () => {
      await start({}, { createTimeoutMs: CREATE_TIMEOUT_MS });
      server.injectFault({ route: 'create', kind: 'timeout' });
      server.seedKey({ name: request.name, tags: ['owner:someone-else'] });
      await expect(store.create(request)).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe('creates groundcover turns away', () => {
    // Nothing was made, so the store answers at once instead of looking for the key.
    it('fails a rate-limited create at once, asking the caller to wait', async () => {
      await start();
      server.injectFault({ route: 'create', kind: 'status', status: 429 });

      const error = await store.create(request).catch(e => e);

      expect(error).toBeInstanceOf(KeyStoreBusyError);
      expect(error).toMatchObject({
        message: 'groundcover is rate limiting requests',
        retryAfterSeconds: 5,
      });
      expect(server.calls).toMatchObject({ create: 1, list: 0 });
      expect(server.keys()).toEqual([]);
    });

    it('fails a create whose connection was refused at once', async () => {
      await start();
      const unreachable = storeFor(server, { logger });
      await server.stop();

      const error = await unreachable.create(request).catch(e => e);

      expect(error).toBeInstanceOf(KeyStoreBusyError);
      expect(error.message).toMatch(
        /^the connection to groundcover failed: .*ECONNREFUSED/,
      );
      await start();
    });
  });

  describe('names that are taken', () => {
    beforeEach(() => start());

    it('creates a key that grants remote configuration through its field, its labels in our namespace', async () => {
      await store.create(request);
      const [created] = server.keys();
      expect(created).toMatchObject({ remoteConfig: true });
      expect(created.tags).toEqual(encodeKeyTags(tags));
      expect(
        created.tags!.filter(tag => !tag.startsWith(KEY_TAG_NAMESPACE)),
      ).toEqual([]);
    });

    it.each([
      ['our tags', encodeKeyTags(tags)],
      [
        'our tags and tags groundcover set itself',
        ['remoteConfig:true', 'type:rum', ...encodeKeyTags(tags)],
      ],
      [
        'the bare labels of a key made before our namespace',
        encodeKeyTags(tags).map(tag => tag.slice(KEY_TAG_NAMESPACE.length)),
      ],
    ])('adopts a key with %s for the same identity', async (_label, seeded) => {
      const existing = server.seedKey({
        name: request.name,
        type: 'sensor',
        remoteConfig: true,
        tags: seeded,
      });

      await expect(store.create(request)).resolves.toEqual({
        providerKeyId: existing.id,
        name: request.name,
        type: 'sensor',
        remoteConfig: true,
        tags,
        secret: existing.key,
      });
      expect(server.calls.create).toBe(1);
      expect(server.keys()).toHaveLength(1);
    });

    it.each([
      ['foreign tags', ['team:payments']],
      ['no tags', null],
      [
        'our tags for another entity',
        encodeKeyTags({ ...tags, entityRef: 'component:default/other' }),
      ],
    ])('refuses a key with %s', async (_label, foreignTags) => {
      server.seedKey({ name: request.name, tags: foreignTags });
      const error = await store.create(request).catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        'an ingestion key named checkout-api-production-sensor-otel already exists in groundcover and is not managed by this portal for this entity',
      );
    });

    it('says so when the taken name is not listed yet', async () => {
      await server.stop();
      await start(
        { listLagMs: NEVER_MS },
        { lookupTimeoutMs: SHORT_LOOKUP_MS },
      );
      await store.create(request);
      await expect(store.create(request)).rejects.toThrow(
        'already exists in groundcover but is not listed yet',
      );
    });
  });

  describe('configuration errors', () => {
    it('names a rejected API key', async () => {
      await start();
      const wrongKey = GroundcoverKeyStore.create({
        client: GroundcoverClient.create({
          baseUrl: server.baseUrl,
          apiKey: 'gcsa_wrong',
          backendId: server.backendId,
        }),
        logger,
      });
      await expect(wrongKey.create(request)).rejects.toThrow(
        new KeyStoreError('groundcover rejected the API key'),
      );
      expect(server.calls.list).toBe(0);
    });

    it('names a backend that is not inCloud', async () => {
      await start({ nonInCloudBackendIds: ['onprem'] });
      const onPrem = GroundcoverKeyStore.create({
        client: GroundcoverClient.create({
          baseUrl: server.baseUrl,
          apiKey: server.apiKey,
          backendId: 'onprem',
        }),
        logger,
      });
      const error = await onPrem.list().catch(e => e);
      expect(error).toBeInstanceOf(KeyStoreError);
      expect(error.message).toMatch(
        /^groundcover backend onprem is not an inCloud backend/,
      );
    });
  });

  describe('delete', () => {
    beforeEach(() => start());

    it('counts a key that is already gone as deleted', async () => {
      await expect(store.delete('never-existed')).resolves.toBeUndefined();
      expect(server.calls.delete).toBe(1);
    });

    it('does not hide a key whose delete failed', async () => {
      server.seedKey({ name: request.name, tags: encodeKeyTags(tags) });
      server.injectFault({ route: 'delete', kind: 'status', status: 503 });
      await expect(store.delete(request.name)).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
      await expect(store.get(request.name)).resolves.toMatchObject({
        name: request.name,
      });
    });
  });

  describe('list', () => {
    // The cache keeps answers far longer than a test runs: only invalidation makes it ask again.
    beforeEach(() => start({ listLagMs: 0 }, { listCacheTtlMs: NEVER_MS }));

    it('decodes our tags and leaves foreign or null tags undefined', async () => {
      server.seedKey({ name: 'ours', tags: encodeKeyTags(tags) });
      server.seedKey({ name: 'foreign', tags: ['team:payments'] });
      server.seedKey({ name: 'untagged', tags: null });
      const listed = await store.list();
      expect(listed).toEqual([
        expect.objectContaining({ name: 'ours', tags }),
        expect.objectContaining({ name: 'foreign', tags: undefined }),
        expect.objectContaining({ name: 'untagged', tags: undefined }),
      ]);
      for (const key of listed) {
        expect(key).not.toHaveProperty('secret');
      }
    });

    it('is retried through a 503', async () => {
      server.seedKey({ name: 'listed' });
      server.injectFault({ route: 'list', kind: 'status', status: 503 });
      await expect(store.list()).resolves.toMatchObject([{ name: 'listed' }]);
      expect(server.calls.list).toBe(2);
    });

    it('serves repeated and concurrent calls from one request', async () => {
      server.seedKey({ name: 'listed' });
      await Promise.all([store.list(), store.list(), store.list()]);
      await store.list();
      expect(server.calls.list).toBe(1);
    });

    it('asks again after our own create and delete', async () => {
      await store.list();
      await store.create(request);
      await expect(store.list()).resolves.toMatchObject([
        { name: request.name },
      ]);
      expect(server.calls.list).toBe(2);

      await store.delete(request.name);
      server.resetCalls();
      await expect(store.list()).resolves.toEqual([]);
      expect(server.calls.list).toBe(1);
    });

    it('does not cache a list that was in flight during our own create', async () => {
      // The list reads the keys before the create and answers only after it.
      const held = server.holdAnswer('list');
      const stale = store.list();
      await held.ready;
      await store.create(request);
      held.release();
      await expect(stale).resolves.toEqual([]);
      await expect(store.list()).resolves.toHaveLength(1);
      expect(server.calls.list).toBe(2);
    });

    it('asks every time when the cache is off', async () => {
      await server.stop();
      await start({ listLagMs: 0 }, { listCacheTtlMs: 0 });
      await store.list();
      await store.list();
      expect(server.calls.list).toBe(2);
    });

    it('returns copies that callers cannot use to change the cache', async () => {
      server.seedKey({ name: 'ours', tags: encodeKeyTags(tags) });
      const [first] = await store.list();
      first.tags!.environment = 'changed';
      const [second] = await store.list();
      expect(second.tags?.environment).toBe('production');
    });
  });

  it('never logs or throws the API key or a key value', async () => {
    // No lag: only the create that did not commit waits for its lookup to give up.
    await start(
      { listLagMs: 0 },
      { lookupTimeoutMs: SHORT_LOOKUP_MS, createTimeoutMs: CREATE_TIMEOUT_MS },
    );
    const wrongApiKey = 'gcsa_wrong-key-value';
    const results: unknown[] = [];
    const errors: unknown[] = [];
    const attempt = (promise: Promise<unknown>) =>
      promise.then(
        value => results.push(value),
        error => errors.push(error),
      );

    server.seedKey({ name: 'foreign', tags: ['team:payments'] });
    await attempt(store.create(request));
    await attempt(store.create({ ...request, name: 'foreign' }));
    server.injectFault({ route: 'create', kind: 'timeout', afterCommit: true });
    await attempt(store.create({ ...request, name: 'uncertain' }));
    server.injectFault({ route: 'create', kind: 'status', status: 500 });
    await attempt(store.create({ ...request, name: 'lost' }));
    server.injectFault({
      route: 'list',
      kind: 'status',
      status: 500,
      message: `upstream echoed ${server.apiKey}`,
    });
    await attempt(store.list());
    await attempt(store.get(request.name, { waitForVisibility: true }));
    await attempt(store.delete(request.name));
    await attempt(
      storeFor(server, {
        logger,
        client: GroundcoverClient.create({
          baseUrl: server.baseUrl,
          apiKey: wrongApiKey,
          backendId: server.backendId,
        }),
      }).list(),
    );

    const explain = (error: any): string =>
      error
        ? `${error.name} ${error.message} ${error.stack} ${explain(
            error.cause,
          )}`
        : '';
    const thrown = errors.map(explain).join('\n');
    // Errors logged as metadata are explained too: JSON alone would show them as {}.
    const logged = JSON.stringify(
      [logger.debug, logger.info, logger.warn, logger.error].flatMap(
        fn => fn.mock.calls,
      ),
      (_key, value) => (value instanceof Error ? explain(value) : value),
    );
    const keyValues = server.issuedSecrets();

    expect(errors).toHaveLength(4);
    expect(keyValues).toEqual(
      expect.arrayContaining(
        results.flatMap(
          result => (result as { secret?: string })?.secret ?? [],
        ),
      ),
    );
    expect(keyValues.length).toBeGreaterThanOrEqual(3);
    expect(logger.warn).toHaveBeenCalled();
    for (const secret of [server.apiKey, wrongApiKey, ...keyValues]) {
      expect(logged).not.toContain(secret);
      expect(thrown).not.toContain(secret);
    }
  });

  describe('fromConfig', () => {
    it('reads ingestionKeys.groundcover', async () => {
      await start({ listLagMs: 0 });
      const configured = GroundcoverKeyStore.fromConfig(
        new ConfigReader({
          ingestionKeys: {
            groundcover: {
              baseUrl: server.baseUrl,
              apiKey: server.apiKey,
              backendId: server.backendId,
              timeoutMs: GENEROUS_MS,
              lookupTimeoutMs: GENEROUS_MS,
              listCacheTtlMs: 0,
            },
          },
        }),
        { logger },
      );
      expect(configured.id).toBe('groundcover');
      await configured.create(request);
      await configured.list();
      await configured.list();
      expect(server.calls.list).toBe(2);
    });

    it('requires the API key and the backend id', async () => {
      await start();
      expect(() =>
        GroundcoverKeyStore.fromConfig(
          new ConfigReader({
            ingestionKeys: { groundcover: { backendId: 'b' } },
          }),
          { logger },
        ),
      ).toThrow(/apiKey/);
      expect(() =>
        GroundcoverKeyStore.fromConfig(
          new ConfigReader({
            ingestionKeys: { groundcover: { apiKey: 'k' } },
          }),
          { logger },
        ),
      ).toThrow(/backendId/);
    });
  });
});
