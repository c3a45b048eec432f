/* eslint-disable jest/no-export -- a shared suite: store packages call it from their own tests */
import { randomBytes } from 'node:crypto';
import {
  CreateStoredKeyRequest,
  IngestionKeyStore,
  StoredKeyTags,
} from '../IngestionKeyStore';

/** @public */
export interface KeyStoreContractTestSetup {
  store: IngestionKeyStore;
  cleanup?: () => Promise<void>;
}

/** 128 bits as base64url: the shortest a secret with that much entropy can be written. */
const MIN_SECRET_LENGTH = 22;

function uniqueName(label: string): string {
  return `contract-${label}-${randomBytes(4).toString('hex')}`;
}

function identity(overrides: Partial<StoredKeyTags> = {}): StoredKeyTags {
  return {
    managedBy: 'ingestion-keys-contract-tests',
    entityRef: 'component:default/contract-service',
    environment: 'production',
    type: 'sensor',
    integration: 'otel',
    ...overrides,
  };
}

function createRequest(
  name: string,
  tags: StoredKeyTags = identity(),
): CreateStoredKeyRequest {
  return { name, type: tags.type, remoteConfig: tags.type === 'sensor', tags };
}

/**
 * The behaviour every `IngestionKeyStore` must have, as a jest `describe` block.
 * `setup` runs before each test and gets a store of its own.
 *
 * What the contract decides where the interface leaves room:
 * - Creating a name that already holds a key of the same identity (same `managedBy`, entity,
 *   environment, type and integration) returns that key, secret included, and never makes a
 *   second one: this is how a key whose database record was lost is adopted.
 * - Reads may lag creates: only `get` with `waitForVisibility` must find a key just created,
 *   and `list` must show it once `get` has.
 * - Reads must not lag the store's own deletes: once `delete` resolves, the key is gone from
 *   `get` and `list` of the same store instance, and its name can be used again.
 *
 * @public
 */
export function runKeyStoreContractTests(
  name: string,
  setup: () => Promise<KeyStoreContractTestSetup>,
): void {
  describe(`${name} (key store contract)`, () => {
    let store: IngestionKeyStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, cleanup } = await setup());
    });

    afterEach(async () => {
      await cleanup?.();
    });

    it('has a provider id', () => {
      expect(store.id).toMatch(/^[a-z0-9-]+$/);
    });

    it('creates a key and returns its secret with what was asked for', async () => {
      const request = createRequest(uniqueName('create'));
      const created = await store.create(request);
      expect(created).toMatchObject({
        name: request.name,
        type: 'sensor',
        remoteConfig: true,
        tags: request.tags,
      });
      expect(typeof created.secret).toBe('string');
    });

    it('keeps an integration-less identity without an integration', async () => {
      const tags = identity({ type: 'rum' });
      delete tags.integration;
      const created = await store.create(
        createRequest(uniqueName('rum'), tags),
      );
      expect(created).toMatchObject({ type: 'rum', remoteConfig: false, tags });
      expect(created.tags?.integration).toBeUndefined();
    });

    it('finds a created key by name, with the same secret', async () => {
      const request = createRequest(uniqueName('get'));
      const created = await store.create(request);
      const found = await store.get(request.name, { waitForVisibility: true });
      expect(found).toEqual(created);
    });

    it('finds nothing under a name it does not hold', async () => {
      await expect(store.get(uniqueName('missing'))).resolves.toBeUndefined();
    });

    it('lists a created key without its secret', async () => {
      const request = createRequest(uniqueName('list'));
      const created = await store.create(request);
      await store.get(request.name, { waitForVisibility: true });

      const listed = await store.list();
      const summary = listed.find(key => key.name === request.name);
      expect(summary).toEqual({
        ...(created.providerKeyId && { providerKeyId: created.providerKeyId }),
        name: request.name,
        type: 'sensor',
        remoteConfig: true,
        tags: request.tags,
      });
      for (const key of listed) {
        expect(key).not.toHaveProperty('secret');
      }
      expect(JSON.stringify(listed)).not.toContain(created.secret);
    });

    it('returns the existing key instead of creating a second one for the same identity', async () => {
      const request = createRequest(uniqueName('adopt'));
      const first = await store.create(request);
      const second = await store.create(request);
      expect(second).toEqual(first);

      await store.get(request.name, { waitForVisibility: true });
      const listed = await store.list();
      expect(listed.filter(key => key.name === request.name)).toHaveLength(1);
    });

    it.each([
      ['another entity', { entityRef: 'component:default/someone-else' }],
      ['another environment', { environment: 'staging' }],
      ['another integration', { integration: 'fluent-bit' }],
      ['another manager', { managedBy: 'another-portal' }],
    ])(
      'refuses a name held by %s with a ConflictError',
      async (_label, change) => {
        const keyName = uniqueName('taken');
        const original = await store.create(createRequest(keyName));

        await expect(
          store.create(createRequest(keyName, identity(change))),
        ).rejects.toMatchObject({ name: 'ConflictError' });
        await expect(
          store.get(keyName, { waitForVisibility: true }),
        ).resolves.toEqual(original);
      },
    );

    it('deletes a key: reads stop showing it at once', async () => {
      const request = createRequest(uniqueName('delete'));
      await store.create(request);
      await store.get(request.name, { waitForVisibility: true });

      await store.delete(request.name);

      await expect(store.get(request.name)).resolves.toBeUndefined();
      const listed = await store.list();
      expect(listed.map(key => key.name)).not.toContain(request.name);
    });

    it('lets a deleted name be used again, with a new secret', async () => {
      const request = createRequest(uniqueName('reuse'));
      const first = await store.create(request);
      await store.get(request.name, { waitForVisibility: true });
      await store.delete(request.name);

      const second = await store.create(request);
      expect(second.secret).not.toBe(first.secret);
      await expect(
        store.get(request.name, { waitForVisibility: true }),
      ).resolves.toEqual(second);
    });

    it('treats deleting a missing key as done', async () => {
      await expect(store.delete(uniqueName('gone'))).resolves.toBeUndefined();
    });

    it('gives every key a unique secret of at least 128 bits', async () => {
      const keys = await Promise.all(
        ['a', 'b', 'c'].map(label =>
          store.create(createRequest(uniqueName(`secret-${label}`))),
        ),
      );
      const secrets = keys.map(key => key.secret);
      expect(new Set(secrets).size).toBe(secrets.length);
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThanOrEqual(MIN_SECRET_LENGTH);
        expect(new Set(secret).size).toBeGreaterThan(8);
      }
    });
  });
}
