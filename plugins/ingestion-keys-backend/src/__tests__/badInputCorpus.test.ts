import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';
import { TEST_USERS } from '../__testUtils__/testCatalog';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const BASE = '/api/ingestion-keys';
const CHECKOUT = 'component:default/checkout-api';

type Method = 'get' | 'post' | 'delete';
interface Case {
  method: Method;
  path: string;
  auth?: string;
  body?: unknown;
  rawBody?: { type: string; text: string };
}

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

const alice = mockCredentials.user.header(TEST_USERS.alice);
const bob = mockCredentials.user.header(TEST_USERS.bob);
const validCreate = {
  entityRef: CHECKOUT,
  environment: 'production',
  type: 'sensor',
};

/** A generated corpus of malformed requests across every route. */
function corpus(keyId: string): Case[] {
  const cases: Case[] = [];
  const keyRoutes: Array<[Method, string]> = [
    ['get', ''],
    ['post', '/reveal'],
    ['post', '/rotate'],
    ['delete', ''],
    ['get', '/events'],
  ];
  const everyRoute: Array<[Method, string]> = [
    ['get', '/v1/settings'],
    ['get', `/v1/keys?entityRef=${CHECKOUT}`],
    ['get', '/v1/keys'],
    ['post', '/v1/keys'],
    ...keyRoutes.map(
      ([m, suffix]) => [m, `/v1/keys/${keyId}${suffix}`] as [Method, string],
    ),
    ['get', `/v1/events?entityRef=${CHECKOUT}`],
    ['get', `/v1/provisioning/status?entityRef=${CHECKOUT}`],
    ['get', '/v1/provisioning/status'],
    ['post', '/v1/provisioning/run'],
  ];

  // Missing and malformed credentials on every route, with otherwise valid requests.
  for (const [method, path] of everyRoute) {
    for (const auth of BAD_AUTH) {
      cases.push({
        method,
        path,
        auth,
        body: method === 'post' ? validCreate : undefined,
      });
    }
  }
  // Every field of a create replaced by every bad value, by an owner and by a non-owner.
  const createFields = [
    'entityRef',
    'environment',
    'type',
    'integration',
    'remoteConfig',
  ];
  for (const auth of [alice, bob]) {
    for (const field of createFields) {
      for (const value of [...BAD_VALUES, ...BAD_REFS]) {
        if (field === 'remoteConfig' && typeof value === 'boolean') {
          continue;
        }
        const body = { ...validCreate, [field]: value };
        cases.push({ method: 'post', path: '/v1/keys', auth, body });
      }
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
      for (const base of [{ entityRef: CHECKOUT }, {}] as Record<
        string,
        string
      >[]) {
        const params = new URLSearchParams({ ...base, [field]: value });
        cases.push({ method: 'get', path: `/v1/keys?${params}` });
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
    for (const [method, suffix] of keyRoutes) {
      cases.push({ method, path: `/v1/keys/${id}${suffix}` });
      cases.push({
        method,
        path: `/v1/keys/${id}${suffix}`,
        body: { secret: 'x' },
      });
    }
  }
  // Bad query parameters on every route that takes them, and on those that take none.
  const queryRoutes: Array<[Method, string, Record<string, string>]> = [
    ['get', '/v1/keys', { entityRef: CHECKOUT }],
    ['get', '/v1/keys', {}],
    ['get', '/v1/events', { entityRef: CHECKOUT }],
    ['get', '/v1/provisioning/status', { entityRef: CHECKOUT }],
    ['get', '/v1/settings', {}],
    ['post', '/v1/keys', {}],
    ['post', `/v1/keys/${keyId}/reveal`, {}],
    ['post', `/v1/keys/${keyId}/rotate`, {}],
    ['delete', `/v1/keys/${keyId}`, {}],
    ['post', '/v1/provisioning/run', {}],
  ];
  for (const [method, path, base] of queryRoutes) {
    for (const query of BAD_QUERIES) {
      const params = new URLSearchParams({ ...base, ...query });
      cases.push({
        method,
        path: `${path}?${params}`,
        body: method === 'post' ? validCreate : undefined,
      });
    }
    cases.push({
      method,
      path: `${path}?entityRef=${CHECKOUT}&entityRef=${CHECKOUT}&limit=1&limit=2`,
    });
  }
  return cases;
}

describe.each(databases.eachSupportedId())(
  'a corpus of malformed requests on %s',
  databaseId => {
    it('never answers 5xx or a stack trace, and writes nothing', async () => {
      const knex = await databases.init(databaseId);
      const backend = await startTestIngestionKeysBackend({ knex });
      try {
        const api = request(backend.server);
        const created = await api
          .post(`${BASE}/v1/keys`)
          .set('Authorization', alice)
          .send({ ...validCreate, environment: 'staging' });
        expect(created.status).toBe(201);

        const snapshot = async () =>
          Promise.all(
            ['ingestion_keys', 'ingestion_key_events', 'embedded_keys'].map(
              async table =>
                JSON.stringify(
                  await knex(table).orderBy(
                    table === 'ingestion_key_events' ? 'id' : 'name',
                  ),
                ),
            ),
          );
        const before = await snapshot();
        const cases = corpus(created.body.key.id);
        expect(cases.length).toBeGreaterThanOrEqual(1000);

        const problems: string[] = [];
        const statuses = new Map<number, number>();
        for (let i = 0; i < cases.length; i += 25) {
          await Promise.all(
            cases.slice(i, i + 25).map(async c => {
              let req = api[c.method](`${BASE}${c.path}`);
              req = req.set('Authorization', c.auth ?? alice);
              if (c.rawBody) {
                req = req
                  .set('Content-Type', c.rawBody.type)
                  .send(c.rawBody.text);
              } else if (c.body !== undefined) {
                req = req
                  .set('Content-Type', 'application/json')
                  .send(JSON.stringify(c.body));
              }
              const res = await req;
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              const label = `${c.method.toUpperCase()} ${c.path.slice(
                0,
                80,
              )} ${JSON.stringify(c.body ?? c.rawBody ?? '').slice(0, 80)}`;
              if (res.status < 400 || res.status >= 500) {
                problems.push(`${res.status} for ${label}`);
              }
              if (/\n\s+at /.test(res.text) || res.text.includes('"stack"')) {
                problems.push(`stack trace for ${label}`);
              }
              if (
                res.status === 400 &&
                !/Invalid request|must be|body/.test(
                  res.body?.error?.message ?? '',
                )
              ) {
                problems.push(
                  `unclear 400 "${res.body?.error?.message}" for ${label}`,
                );
              }
            }),
          );
        }
        expect(problems).toEqual([]);
        expect(statuses.get(400)).toBeGreaterThan(300);
        expect(statuses.get(401)).toBeGreaterThan(50);
        expect(await snapshot()).toEqual(before);
      } finally {
        await backend.stop();
      }
    });
  },
);
