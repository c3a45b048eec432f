import { CorpusRequest, KEY_ROUTES, Method } from './corpusRequest';

const CHECKOUT = 'component:default/checkout-api';

const BAD_STRINGS = [
  '',
  ' ',
  'x'.repeat(300),
  'y'.repeat(20_000),
  '💥'.repeat(40),
  'Ünïcødé-ñame',
  '\u202eevil',
  'null\u0000byte',
  '../../etc/passwd',
  '%2e%2e%2f',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  'UPPER-CASE',
  'under_score',
  '-leading',
];
const BAD_VALUES: unknown[] = [
  ...BAD_STRINGS,
  0,
  -1,
  1.5,
  true,
  null,
  [],
  ['production'],
  {},
  { $gt: '' },
];
const BAD_REFS = [
  'component:',
  ':default/x',
  'component:default/',
  'a:b:c/d/e',
  'component:default/checkout-api/extra',
  'not a ref',
  `component:default/${'z'.repeat(300)}`,
];
const BAD_IDS = [
  'not-a-uuid',
  '..',
  '%2e%2e%2fetc',
  '..%2F..%2Fetc%2Fpasswd',
  '0'.repeat(36),
  `${'f'.repeat(8)}-zzzz-4zzz-8zzz-${'f'.repeat(12)}`,
  'x'.repeat(2000),
  '%00',
  '%F0%9F%92%A5',
  "1'%20OR%20'1'='1",
];
const BAD_AUTH = [
  '',
  'Bearer',
  'Bearer ',
  'Bearer garbage',
  'Basic Zm9vOmJhcg==',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyOmRlZmF1bHQvbWFsbG9yeSJ9.',
  'Token abc',
  `Bearer ${'a'.repeat(5000)}`,
];
const BAD_QUERIES: Record<string, string>[] = [
  { limit: '-1' },
  { limit: '0' },
  { limit: 'abc' },
  { limit: '1e9' },
  { limit: '100000000' },
  { offset: '-5' },
  { offset: '1.5' },
  { orderBy: 'secret' },
  { orderBy: 'name; drop table ingestion_keys' },
  { order: 'sideways' },
  { type: 'apm' },
  { type: 'SENSOR' },
  { status: 'gone' },
  { includeRevoked: 'maybe' },
  { environment: 'Prod_EU' },
  { environment: 'x'.repeat(100) },
  { unknownParam: '1' },
  { 'entityRef[$ne]': 'x' },
  ...BAD_REFS.map(entityRef => ({ entityRef })),
];

const validCreate = {
  entityRef: CHECKOUT,
  environment: 'production',
  type: 'sensor',
};
const validTarget = { target: 'kubernetes:prod-eu/groundcover' };
/** A target id that names no target: valid in form, so credentials are checked before it. */
const SOME_TARGET = '7d0c5f1e-2b7a-4c3e-9f4d-1a2b3c4d5e6f';
const TARGET_ROUTES: Array<[Method, string]> = [
  ['post', '/deliver'],
  ['delete', ''],
];

/** The body a valid request to this route sends. */
const validBodyOf = (method: Method, path: string) => {
  if (method !== 'post') {
    return undefined;
  }
  return path.endsWith('/targets') ? validTarget : validCreate;
};

/** Otherwise valid requests to every route with missing and malformed credentials. */
export function badCredentialRequests(keyId: string): CorpusRequest[] {
  const everyRoute: Array<[Method, string]> = [
    ['get', '/v1/settings'],
    ['get', `/v1/keys?entityRef=${CHECKOUT}`],
    ['get', '/v1/keys'],
    ['get', '/v1/my/keys'],
    ['post', '/v1/keys'],
    ...KEY_ROUTES.map(
      ([m, suffix]) => [m, `/v1/keys/${keyId}${suffix}`] as [Method, string],
    ),
    ['get', `/v1/events?entityRef=${CHECKOUT}`],
    ['get', `/v1/provisioning/status?entityRef=${CHECKOUT}`],
    ['get', '/v1/provisioning/status'],
    ['get', '/v1/my/provisioning/problems'],
    ['post', '/v1/provisioning/run'],
    ['get', '/v1/delivery/kinds'],
    ['post', '/v1/delivery/run'],
    ['get', `/v1/targets?entityRef=${CHECKOUT}`],
    ['get', '/v1/targets/failed'],
    ['post', `/v1/keys/${keyId}/targets`],
    ...TARGET_ROUTES.map(
      ([m, suffix]) =>
        [m, `/v1/targets/${SOME_TARGET}${suffix}`] as [Method, string],
    ),
    ['get', '/v1/external-secrets/prod-eu/checkout-api-production-sensor'],
  ];
  return everyRoute.flatMap(([method, path]) =>
    BAD_AUTH.map(auth => ({
      method,
      path,
      auth,
      body: validBodyOf(method, path),
    })),
  );
}

/**
 * A generated corpus of malformed requests across every route, sent with a caller's valid
 * credentials: each is stopped by the request validator, whoever sends it.
 */
export function malformedRequests(keyId: string): CorpusRequest[] {
  const cases: CorpusRequest[] = [];
  // Every field of a create replaced by every bad value.
  const createFields = [
    'entityRef',
    'environment',
    'type',
    'integration',
    'remoteConfig',
  ];
  for (const field of createFields) {
    for (const value of [...BAD_VALUES, ...BAD_REFS]) {
      if (field === 'remoteConfig' && typeof value === 'boolean') {
        continue;
      }
      const body = { ...validCreate, [field]: value };
      cases.push({ method: 'post', path: '/v1/keys', body });
    }
  }
  // Every list filter given every bad string, for one entity and org-wide.
  const listFields = [
    'entityRef',
    'environment',
    'type',
    'status',
    'createdBy',
    'ownerRef',
    'orderBy',
    'order',
    'limit',
    'offset',
  ];
  for (const field of listFields) {
    for (const value of BAD_STRINGS) {
      for (const [route, base] of [
        ['/v1/keys', { entityRef: CHECKOUT }],
        ['/v1/keys', {}],
        ['/v1/my/keys', {}],
      ] as Array<[string, Record<string, string>]>) {
        const params = new URLSearchParams({ ...base, [field]: value });
        cases.push({ method: 'get', path: `${route}?${params}` });
      }
    }
  }
  for (const extra of [
    'secret',
    'key',
    'id',
    'status',
    'createdBy',
    '__proto__',
    'constructor',
  ]) {
    cases.push({
      method: 'post',
      path: '/v1/keys',
      body: { ...validCreate, [extra]: 'x' },
    });
  }
  for (const missing of ['entityRef', 'environment', 'type']) {
    const { [missing]: _dropped, ...rest } = validCreate as Record<
      string,
      string
    >;
    cases.push({ method: 'post', path: '/v1/keys', body: rest });
  }
  for (const body of [
    [],
    [validCreate],
    'text',
    42,
    null,
    true,
    { validCreate },
  ]) {
    cases.push({ method: 'post', path: '/v1/keys', body });
  }
  for (const text of [
    '{',
    '{"entityRef":',
    'not json',
    '{"a":1}}',
    'x'.repeat(40_000),
  ]) {
    cases.push({
      method: 'post',
      path: '/v1/keys',
      rawBody: { type: 'application/json', text },
    });
  }
  cases.push({
    method: 'post',
    path: '/v1/keys',
    rawBody: {
      type: 'application/json',
      text: JSON.stringify({ ...validCreate, pad: 'p'.repeat(20_000) }),
    },
  });
  // Path tricks and bad ids on every key route, with and without a body.
  for (const id of BAD_IDS) {
    for (const [method, suffix] of KEY_ROUTES) {
      cases.push({ method, path: `/v1/keys/${id}${suffix}` });
      cases.push({
        method,
        path: `/v1/keys/${id}${suffix}`,
        body: { secret: 'x' },
      });
    }
  }
  // A target to add: every bad value, extra fields, and no body at all.
  for (const value of [...BAD_VALUES, 'kubernetes', 'z'.repeat(600)]) {
    cases.push({
      method: 'post',
      path: `/v1/keys/${keyId}/targets`,
      body: { target: value },
    });
  }
  for (const body of [
    {},
    { ...validTarget, secret: 'x' },
    [validTarget],
    'x',
  ]) {
    cases.push({ method: 'post', path: `/v1/keys/${keyId}/targets`, body });
  }
  // Bad ids on the target routes, and on adding a target to a key.
  for (const id of BAD_IDS) {
    for (const [method, suffix] of TARGET_ROUTES) {
      cases.push({ method, path: `/v1/targets/${id}${suffix}` });
    }
    cases.push({
      method: 'post',
      path: `/v1/keys/${id}/targets`,
      body: validTarget,
    });
  }
  // What External Secrets asks for: store and key names in the path.
  for (const [store, name] of [
    ['Prod_EU', 'checkout-api-production-sensor'],
    ['prod-eu', 'Checkout_API'],
    ['prod-eu', 'x'.repeat(64)],
    ['prod-eu', '-leading'],
    ['..', 'x'],
    ['%2e%2e', 'x'],
  ]) {
    cases.push({
      method: 'get',
      path: `/v1/external-secrets/${store}/${name}`,
    });
  }
  // Bad query parameters on every route that takes them, and on those that take none.
  const queryRoutes: Array<[Method, string, Record<string, string>]> = [
    ['get', '/v1/keys', { entityRef: CHECKOUT }],
    ['get', '/v1/keys', {}],
    ['get', '/v1/my/keys', {}],
    ['get', '/v1/my/provisioning/problems', {}],
    ['get', '/v1/events', { entityRef: CHECKOUT }],
    ['get', '/v1/provisioning/status', { entityRef: CHECKOUT }],
    ['get', '/v1/settings', {}],
    ['post', '/v1/keys', {}],
    ['post', `/v1/keys/${keyId}/reveal`, {}],
    ['post', `/v1/keys/${keyId}/rotate`, {}],
    ['delete', `/v1/keys/${keyId}`, {}],
    ['post', '/v1/provisioning/run', {}],
    ['get', '/v1/delivery/kinds', {}],
    ['post', '/v1/delivery/run', {}],
    ['get', '/v1/targets', { entityRef: CHECKOUT }],
    ['get', '/v1/targets/failed', {}],
    ['post', `/v1/keys/${keyId}/targets`, {}],
    ['post', `/v1/targets/${SOME_TARGET}/deliver`, {}],
    ['delete', `/v1/targets/${SOME_TARGET}`, {}],
    ['get', '/v1/external-secrets/prod-eu/checkout-api-production-sensor', {}],
  ];
  for (const [method, path, base] of queryRoutes) {
    for (const query of BAD_QUERIES) {
      const params = new URLSearchParams({ ...base, ...query });
      cases.push({
        method,
        path: `${path}?${params}`,
        body: validBodyOf(method, path),
      });
    }
    cases.push({
      method,
      path: `${path}?entityRef=${CHECKOUT}&entityRef=${CHECKOUT}&limit=1&limit=2`,
    });
  }
  return cases;
}
