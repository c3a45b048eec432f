import {
  generateKeyName,
  isValidKeyName,
  MAX_KEY_NAME_LENGTH,
  validateNamingPattern,
} from './keyName';

describe('generateKeyName', () => {
  const checkout = {
    entityRef: 'component:default/checkout-api',
    environment: 'production',
  };

  it('reads like the entity, environment, type and integration', () => {
    expect(generateKeyName({ ...checkout, type: 'sensor' })).toBe(
      'checkout-api-production-sensor',
    );
    expect(
      generateKeyName({
        ...checkout,
        type: 'thirdParty',
        integration: 'otel-collector',
      }),
    ).toBe('checkout-api-production-thirdparty-otel-collector');
    expect(generateKeyName({ ...checkout, type: 'rum' })).toBe(
      'checkout-api-production-rum',
    );
  });

  it('is deterministic', () => {
    const a = generateKeyName({
      ...checkout,
      type: 'rum',
      entityRef: 'resource:ops/Checkout_API',
    });
    const b = generateKeyName({
      ...checkout,
      type: 'rum',
      entityRef: 'resource:ops/Checkout_API',
    });
    expect(a).toBe(b);
  });

  it('keeps entities of other kinds and namespaces apart with a stable hash', () => {
    const names = new Set(
      [
        'component:default/checkout',
        'resource:default/checkout',
        'component:payments/checkout',
        'Component:default/Checkout_',
      ].map(entityRef =>
        generateKeyName({
          entityRef,
          environment: 'production',
          type: 'sensor',
        }),
      ),
    );
    expect(names.size).toBe(4);
    expect(
      generateKeyName({
        ...checkout,
        type: 'sensor',
        entityRef: 'resource:default/checkout',
      }),
    ).toMatch(/^checkout-production-sensor-[a-z0-9]{6}$/);
  });

  it('leaves out the hash when the pattern names kind and namespace', () => {
    expect(
      generateKeyName({
        entityRef: 'resource:ops/queue',
        environment: 'staging',
        type: 'sensor',
        pattern: '{namespace}-{kind}-{name}-{environment}-{type}-{integration}',
      }),
    ).toBe('ops-resource-queue-staging-sensor');
  });

  it('hashes when the pattern leaves out part of the identity', () => {
    const pattern = '{name}-{environment}';
    const sensor = generateKeyName({ ...checkout, type: 'sensor', pattern });
    const rum = generateKeyName({ ...checkout, type: 'rum', pattern });
    expect(sensor).not.toBe(rum);
  });

  it('hashes where a hyphen would blur the border between entity name and environment', () => {
    const api = generateKeyName({
      entityRef: 'component:default/api',
      environment: 'eu-prod',
      type: 'sensor',
    });
    const apiEu = generateKeyName({
      entityRef: 'component:default/api-eu',
      environment: 'prod',
      type: 'sensor',
    });
    expect(apiEu).toBe('api-eu-prod-sensor');
    expect(api).toMatch(/^api-eu-prod-sensor-[a-z0-9]{6}$/);
  });

  it('never names a key like the successor of another', () => {
    const successor = generateKeyName({
      ...checkout,
      type: 'thirdParty',
      integration: 'otel',
      generation: 2,
    });
    expect(successor).toBe('checkout-api-production-thirdparty-otel-r2');
    for (const integration of ['otel-r2', 'r2']) {
      const name = generateKeyName({
        ...checkout,
        type: 'thirdParty',
        integration,
      });
      expect(name).toMatch(/-[a-z0-9]{6}$/);
      expect(name).not.toBe(successor);
    }
  });

  it('stays within 63 characters and valid, also for successors', () => {
    const long = {
      entityRef: `component:default/${'a-very-long-service-name'.repeat(4)}`,
      environment: 'production',
      type: 'thirdParty' as const,
      integration: 'opentelemetry-collector-gateway',
    };
    for (const generation of [1, 2, 12]) {
      const name = generateKeyName({ ...long, generation });
      expect(name.length).toBeLessThanOrEqual(MAX_KEY_NAME_LENGTH);
      expect(isValidKeyName(name)).toBe(true);
    }
    expect(generateKeyName({ ...long, generation: 12 })).toMatch(/-r12$/);
    expect(generateKeyName({ ...long, integration: 'other-gateway' })).not.toBe(
      generateKeyName(long),
    );
  });

  it('names successors deterministically', () => {
    expect(
      generateKeyName({ ...checkout, type: 'sensor', generation: 2 }),
    ).toBe('checkout-api-production-sensor-r2');
    expect(
      generateKeyName({ ...checkout, type: 'sensor', generation: 1 }),
    ).toBe('checkout-api-production-sensor');
  });
});

describe('validateNamingPattern', () => {
  it('accepts patterns with {name}', () => {
    expect(
      validateNamingPattern('bs-{name}-{environment}-{type}'),
    ).toBeUndefined();
  });

  it.each([
    ['{environment}-{type}', 'must contain {name}'],
    ['{name}-{team}', 'unknown token {team}'],
    ['{name}_{type}', 'lowercase letters, digits and hyphens'],
  ])('rejects %s', (pattern, message) => {
    expect(validateNamingPattern(pattern)).toContain(message);
  });
});
