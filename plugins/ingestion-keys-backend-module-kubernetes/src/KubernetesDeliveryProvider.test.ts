import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KeyDeliveryRequest } from '@ingestion-keys/plugin-ingestion-keys-node';
import { KubernetesClusterSettings } from './KubernetesClusterSettings';
import { KubernetesDeliveryProvider } from './KubernetesDeliveryProvider';
import {
  KubernetesSecretsApiServer,
  OTHER_TEST_CA_CERTIFICATE,
  TEST_CA_CERTIFICATE,
} from './testUtils';

const VALUE = 'gc-ingestion-value-do-not-leak-0123456789';
const VALUE_BASE64 = Buffer.from(VALUE).toString('base64');
const TOKEN = 'sa-token-do-not-leak-abcdef';
const PORTAL = 'backstage-prod';
const OURS = {
  labels: { 'app.kubernetes.io/managed-by': 'ingestion-keys-backstage' },
  annotations: { 'ingestion-keys.backstage.io/portal': PORTAL },
};

function request(
  overrides: Partial<KeyDeliveryRequest> = {},
): KeyDeliveryRequest {
  return {
    address: 'test/groundcover',
    key: {
      id: 'key-1',
      name: 'payments-prod-sensor',
      generation: 2,
      entityRef: 'component:default/payments',
      environment: 'prod',
      type: 'sensor',
    },
    secret: VALUE,
    managedBy: PORTAL,
    ...overrides,
  };
}

/** Neither the value, its base64 form nor the token may appear in what a person or a log sees. */
function expectNoSecrets(text: string) {
  expect(text).not.toContain(VALUE);
  expect(text).not.toContain(VALUE_BASE64);
  expect(text).not.toContain(TOKEN);
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  if (!error) {
    throw new Error('expected the delivery to fail');
  }
  expectNoSecrets(error.message);
  expectNoSecrets(JSON.stringify(error));
  return error;
}

describe('KubernetesDeliveryProvider', () => {
  let server: KubernetesSecretsApiServer;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  beforeEach(async () => {
    server = await KubernetesSecretsApiServer.start({
      token: TOKEN,
      namespaces: ['groundcover', 'other'],
    });
    logger = mockServices.logger.mock();
  });

  afterEach(async () => {
    await server.stop();
    for (const call of [
      ...logger.info.mock.calls,
      ...logger.warn.mock.calls,
      ...logger.error.mock.calls,
    ]) {
      expectNoSecrets(JSON.stringify(call));
    }
  });

  function cluster(
    overrides: Partial<KubernetesClusterSettings> = {},
  ): KubernetesClusterSettings {
    return {
      name: 'test',
      url: server.url,
      caData: server.caData,
      serviceAccountToken: TOKEN,
      timeoutMs: 5000,
      ...overrides,
    };
  }

  function provider(
    overrides: Partial<KubernetesClusterSettings> = {},
    options: { maxAttempts?: number } = {},
  ) {
    return KubernetesDeliveryProvider.create({
      clusters: [cluster(overrides)],
      logger,
      ...options,
    });
  }

  describe('deliver', () => {
    it('creates the Secret the groundcover chart reads, described but without the value in its metadata', async () => {
      const receipt = await provider().deliver(request());

      expect(receipt).toEqual({
        location:
          'Secret groundcover/api-key (data key API_KEY) in cluster test',
      });
      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        API_KEY: VALUE,
      });
      const secret = server.getSecret('groundcover', 'api-key')!;
      expect(secret.type).toBe('Opaque');
      expect(secret.metadata.labels).toEqual(OURS.labels);
      const annotations = secret.metadata.annotations!;
      expect(annotations).toMatchObject({
        'ingestion-keys.backstage.io/portal': PORTAL,
        'ingestion-keys.backstage.io/entity-ref': 'component:default/payments',
        'ingestion-keys.backstage.io/key-name': 'payments-prod-sensor',
        'ingestion-keys.backstage.io/key-id': 'key-1',
        'ingestion-keys.backstage.io/generation': '2',
        'ingestion-keys.backstage.io/data-key': 'API_KEY',
      });
      expect(
        Date.parse(annotations['ingestion-keys.backstage.io/delivered-at']),
      ).not.toBeNaN();
      expect(
        JSON.parse(annotations['ingestion-keys.backstage.io/deliveries']),
      ).toEqual({
        API_KEY: expect.objectContaining({ keyId: 'key-1', generation: 2 }),
      });
      expectNoSecrets(JSON.stringify(secret.metadata));
      expect(server.requests().map(r => r.method)).toEqual(['GET', 'POST']);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining('Delivered key payments-prod-sensor'),
      );
    });

    it('replaces the value in its own Secret, keeping the other data keys', async () => {
      const subject = provider();
      await subject.deliver(
        request({ address: 'test/groundcover/shared/RUM_KEY' }),
      );
      await subject.deliver(
        request({
          address: 'test/groundcover/shared/SENSOR_KEY',
          key: { ...request().key, id: 'key-2', name: 'payments-prod-rum' },
          secret: 'second-value',
        }),
      );
      await subject.deliver(
        request({
          address: 'test/groundcover/shared/RUM_KEY',
          secret: 'rotated',
        }),
      );

      expect(server.readSecretData('groundcover', 'shared')).toEqual({
        RUM_KEY: 'rotated',
        SENSOR_KEY: 'second-value',
      });
      const annotations = server.getSecret('groundcover', 'shared')!.metadata
        .annotations!;
      expect(
        Object.keys(
          JSON.parse(annotations['ingestion-keys.backstage.io/deliveries']),
        ).sort(),
      ).toEqual(['RUM_KEY', 'SENSOR_KEY']);
      expect(server.requests().map(r => r.method)).toEqual([
        'GET',
        'POST',
        'GET',
        'PUT',
        'GET',
        'PUT',
      ]);
    });

    it('keeps labels and annotations that others put on its Secret', async () => {
      server.seedSecret({
        namespace: 'groundcover',
        name: 'api-key',
        data: { OTHER: 'kept' },
        labels: { ...OURS.labels, team: 'payments' },
        annotations: { ...OURS.annotations, 'example.com/note': 'kept' },
      });

      await provider().deliver(request());

      const secret = server.getSecret('groundcover', 'api-key')!;
      expect(secret.metadata.labels).toMatchObject({ team: 'payments' });
      expect(secret.metadata.annotations).toMatchObject({
        'example.com/note': 'kept',
      });
      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        OTHER: 'kept',
        API_KEY: VALUE,
      });
    });

    it('refuses a Secret it did not create, and writes nothing', async () => {
      server.seedSecret({
        namespace: 'groundcover',
        name: 'api-key',
        data: { API_KEY: 'installed-by-hand' },
      });

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain(
        'Secret groundcover/api-key in cluster test',
      );
      expect(error.message).toContain('delete the Secret');
      expect(error.message).toContain('point the target at another Secret');
      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        API_KEY: 'installed-by-hand',
      });
      expect(server.requests().map(r => r.method)).toEqual(['GET']);
    });

    it("refuses another portal's Secret", async () => {
      server.seedSecret({
        namespace: 'groundcover',
        name: 'api-key',
        data: { API_KEY: 'other-portal-value' },
        labels: OURS.labels,
        annotations: {
          'ingestion-keys.backstage.io/portal': 'backstage-staging',
        },
      });

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain('another portal ("backstage-staging")');
      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        API_KEY: 'other-portal-value',
      });
    });

    it('reads again and retries when the Secret changed between its read and its replace', async () => {
      server.seedSecret({
        namespace: 'groundcover',
        name: 'api-key',
        ...OURS,
      });
      server.writeConcurrentlyAfterNextReads(2);

      await provider().deliver(request());

      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        API_KEY: VALUE,
      });
      expect(server.requests().map(r => r.method)).toEqual([
        'GET',
        'PUT',
        'GET',
        'PUT',
        'GET',
        'PUT',
      ]);
      expect(logger.warn).toHaveBeenCalledTimes(2);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('409 Conflict'),
      );
    });

    it('fails clearly when the Secret keeps changing', async () => {
      server.seedSecret({
        namespace: 'groundcover',
        name: 'api-key',
        data: { API_KEY: 'before' },
        ...OURS,
      });
      server.writeConcurrentlyAfterNextReads(100);

      const error = await failureOf(
        provider({}, { maxAttempts: 3 }).deliver(request()),
      );

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        'Secret groundcover/api-key (data key API_KEY) in cluster test kept changing while it was written (3 attempts, the last answered 409 Conflict); something else writes this Secret: stop it, or point the target at another Secret',
      );
      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        API_KEY: 'before',
      });
      expect(server.requests().filter(r => r.method === 'PUT')).toHaveLength(3);
    });

    it('reads again when another writer created the Secret first, and replaces it if it is ours', async () => {
      server.createConcurrentlyAfterNextMiss({
        namespace: 'groundcover',
        name: 'api-key',
        data: { OTHER: 'from the other replica' },
        ...OURS,
      });

      await provider().deliver(request());

      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        OTHER: 'from the other replica',
        API_KEY: VALUE,
      });
      expect(server.requests().map(r => r.method)).toEqual([
        'GET',
        'POST',
        'GET',
        'PUT',
      ]);
    });

    it('refuses a Secret someone else created between its read and its create', async () => {
      server.createConcurrentlyAfterNextMiss({
        namespace: 'groundcover',
        name: 'api-key',
        data: { API_KEY: 'theirs' },
      });

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(ConflictError);
      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        API_KEY: 'theirs',
      });
    });

    it('says the token is refused on 401', async () => {
      const error = await failureOf(
        provider({ serviceAccountToken: 'wrong-token-do-not-leak' }).deliver(
          request(),
        ),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'Cluster test refused the service-account token (401 Unauthorized): check serviceAccountToken of cluster test in ingestionKeys.kubernetes.clusters',
      );
      expect(error.message).not.toContain('wrong-token-do-not-leak');
    });

    it('names the verb and namespace the service account lacks on 403', async () => {
      server.setDenyRules([{ namespace: 'groundcover', verb: 'create' }]);

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toContain(
        'The service account of cluster test may not create secrets in namespace groundcover (403 Forbidden)',
      );

      server.setDenyRules([{ verb: 'get' }]);
      const readError = await failureOf(provider().deliver(request()));
      expect(readError.message).toContain(
        'may not get secrets in namespace groundcover',
      );
    });

    it('names the missing namespace and the cluster', async () => {
      const error = await failureOf(
        provider().deliver(request({ address: 'test/missing' })),
      );

      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        'Namespace missing does not exist in cluster test: create it, or point the target at an existing namespace',
      );
    });

    it('does not take a 404 for the path as a missing Secret', async () => {
      server.injectFailure({
        code: 404,
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
        verb: 'get',
      });

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        "Cluster test answered 404 NotFound to get Secret groundcover/api-key in cluster test: the server could not find the requested resource; check the cluster's url",
      );
      expect(server.requests().map(r => r.method)).toEqual(['GET']);
    });

    it('passes on the Status message of a 422, without the value', async () => {
      server.seedSecret({
        namespace: 'groundcover',
        name: 'api-key',
        data: { API_KEY: 'old' },
        immutable: true,
        ...OURS,
      });

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'Cluster test refused Secret groundcover/api-key in cluster test as invalid: Secret "api-key" is invalid: data: Forbidden: field is immutable when `immutable` is set',
      );
    });

    it('removes the value, its base64 form and the token from a message the cluster echoes', async () => {
      server.injectFailure({
        code: 422,
        reason: 'Invalid',
        message: `Secret "api-key" is invalid: data[API_KEY]: Invalid value: "${VALUE}" (${VALUE_BASE64}), sent with Bearer ${TOKEN}`,
        verb: 'create',
      });

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(
        'Invalid value: "[redacted]" ([redacted]), sent with Bearer [redacted]',
      );
    });

    it('says the cluster cannot serve the request now on a 5xx', async () => {
      server.injectFailure({
        code: 503,
        reason: 'ServiceUnavailable',
        message: 'etcd is unavailable',
      });

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        'Cluster test could not get Secret groundcover/api-key in cluster test now (503 ServiceUnavailable): etcd is unavailable',
      );
    });

    it('says the cluster is unreachable when it is down, and delivers once it is back', async () => {
      await server.stop();

      const error = await failureOf(provider().deliver(request()));

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain(`cluster test (${server.url})`);
      expect(error.message).toContain('refused the connection');

      await server.restart();
      await provider().deliver(request());
      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        API_KEY: VALUE,
      });
    });

    it('gives up on a request that does not answer within the timeout', async () => {
      server.hangNextRequests(1);
      const started = Date.now();

      const error = await failureOf(
        provider({ timeoutMs: 150 }).deliver(request()),
      );

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain('did not answer within 150 ms');
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it("stops when the request's signal is aborted", async () => {
      server.hangNextRequests(1);
      const controller = new AbortController();
      const hanging = server.waitForHangingRequest();

      const delivery = provider().deliver(
        request({ signal: controller.signal }),
      );
      await hanging;
      controller.abort();

      const error = await failureOf(delivery);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain("the delivery's time was up");
    });

    it('refuses a server whose certificate the configured CA did not sign', async () => {
      const error = await failureOf(
        provider({ caData: OTHER_TEST_CA_CERTIFICATE }).deliver(request()),
      );

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain('Could not verify the TLS certificate');
      expect(error.message).toContain("check the cluster's caData");
      expect(server.requests()).toEqual([]);
    });

    it('accepts caData as base64 of the PEM, as a kubeconfig has it', async () => {
      await provider({
        caData: Buffer.from(server.caData).toString('base64'),
      }).deliver(request());

      expect(server.readSecretData('groundcover', 'api-key')).toEqual({
        API_KEY: VALUE,
      });
    });
  });

  describe('parseAddress', () => {
    const subject = () =>
      KubernetesDeliveryProvider.create({
        clusters: [cluster({ name: 'prod-eu' }), cluster({ name: 'prod-us' })],
        logger,
      });

    it.each([
      ['prod-eu/groundcover', 'prod-eu/groundcover/api-key/API_KEY'],
      ['prod-eu/groundcover/gc-token', 'prod-eu/groundcover/gc-token/API_KEY'],
      ['prod-us/ns/my.secret/token.txt', 'prod-us/ns/my.secret/token.txt'],
      [
        '  prod-eu/groundcover/api-key/API_KEY ',
        'prod-eu/groundcover/api-key/API_KEY',
      ],
    ])('normalises %j to %j', (address, expected) => {
      expect(subject().parseAddress(address)).toBe(expected);
    });

    it('fills in the configured defaults', () => {
      const custom = KubernetesDeliveryProvider.create({
        clusters: [cluster()],
        defaults: { secretName: 'groundcover-token', dataKey: 'token' },
        logger,
      });
      expect(custom.parseAddress('test/ns')).toBe(
        'test/ns/groundcover-token/token',
      );
      expect(custom.addressFormat).toContain(
        'default secret name groundcover-token',
      );
    });

    it.each([
      ['prod-eu', 'expected 2 to 4 parts'],
      ['prod-eu/a/b/c/d', 'expected 2 to 4 parts'],
      ['prod-eu//api-key', 'a part is empty'],
      [
        'staging/groundcover',
        'cluster "staging" is not configured; configured clusters: prod-eu, prod-us',
      ],
      [
        'prod-eu/GroundCover',
        'namespace "GroundCover" is not a valid namespace name',
      ],
      [`prod-eu/${'a'.repeat(64)}`, 'is not a valid namespace name'],
      [
        'prod-eu/ns/api_key',
        'secret name "api_key" is not a valid Secret name',
      ],
      [
        'prod-eu/ns/api-key/API KEY',
        'data key "API KEY" is not a valid data key',
      ],
      ['prod-eu/ns/api-key/..hidden', 'is not a valid data key'],
    ])('refuses %j: %s', (address, problem) => {
      expect(() => subject().parseAddress(address)).toThrow(InputError);
      expect(() => subject().parseAddress(address)).toThrow(problem);
      expect(() => subject().parseAddress(address)).toThrow(
        'Write <cluster>/<namespace>[/<secret name>[/<data key>]]',
      );
    });

    it('says the syntax and the clusters', () => {
      expect(subject().kind).toBe('kubernetes');
      expect(subject().addressFormat).toBe(
        '<cluster>/<namespace>[/<secret name>[/<data key>]] (default secret name api-key, data key API_KEY); clusters: prod-eu, prod-us',
      );
    });
  });

  describe('fromConfig', () => {
    function fromConfig(kubernetes: object) {
      return KubernetesDeliveryProvider.fromConfig(
        new ConfigReader({ ingestionKeys: { kubernetes } }),
        { logger },
      );
    }
    // it.each tables are built before any server starts; deliveries below use server.url.
    const valid = () => ({
      name: 'test',
      url: 'https://127.0.0.1:6443',
      caData: TEST_CA_CERTIFICATE,
      serviceAccountToken: TOKEN,
    });

    it('reads clusters, defaults and the timeout', async () => {
      const subject = fromConfig({
        clusters: [{ ...valid(), url: server.url, timeout: '150ms' }],
        defaults: { secretName: 'gc', dataKey: 'KEY' },
      });
      expect(subject.parseAddress('test/groundcover')).toBe(
        'test/groundcover/gc/KEY',
      );

      server.hangNextRequests(1);
      const error = await failureOf(subject.deliver(request()));
      expect(error.message).toContain('did not answer within 150 ms');
    });

    it('reads a timeout written as an object', async () => {
      const subject = fromConfig({
        clusters: [
          { ...valid(), url: server.url, timeout: { milliseconds: 120 } },
        ],
      });
      server.hangNextRequests(1);
      const error = await failureOf(subject.deliver(request()));
      expect(error.message).toContain('did not answer within 120 ms');
    });

    it.each([
      [
        'a cluster name used twice',
        { clusters: [valid(), valid()] },
        'cluster name "test" is configured twice',
      ],
      [
        'a URL that is not one',
        { clusters: [{ ...valid(), url: 'not a url' }] },
        'url "not a url" is not a URL',
      ],
      [
        'a URL that is not https',
        { clusters: [{ ...valid(), url: 'http://k8s.example.com' }] },
        'must start with https://',
      ],
      [
        'a timeout of zero',
        { clusters: [{ ...valid(), timeout: '0s' }] },
        'timeout must be longer than 0',
      ],
      [
        'caData that is no certificate',
        { clusters: [{ ...valid(), caData: 'not a certificate' }] },
        'caData is neither a PEM certificate nor base64 of one',
      ],
      [
        'a cluster name with a slash',
        { clusters: [{ ...valid(), name: 'eu/prod' }] },
        'cluster name "eu/prod" may only contain',
      ],
      [
        'an invalid default data key',
        { clusters: [valid()], defaults: { dataKey: 'API KEY' } },
        'ingestionKeys.kubernetes.defaults: data key "API KEY" is not a valid data key',
      ],
    ])('refuses %s', (_, kubernetes, message) => {
      expect(() => fromConfig(kubernetes)).toThrow(InputError);
      expect(() => fromConfig(kubernetes)).toThrow(message);
    });
  });
});
