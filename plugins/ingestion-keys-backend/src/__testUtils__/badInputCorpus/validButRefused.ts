import { get, KEY_ROUTES, listPath, post } from './corpusRequest';
import { CHECKOUT, CorpusFixture } from './corpusFixture';
import {
  ENVIRONMENTS,
  LIMIT,
  LONGEST_KIND,
  LONGEST_NAMESPACE,
  NAME_LIMITS_REF,
  nameLimitsCreate,
  padded,
} from './limitValues';
import {
  AN_ENTITY_REF,
  badRequest,
  BorderlineRequest,
  everyone,
  ownersGet,
} from './borderlineOutcome';

/**
 * Input that passes the request validator but names nothing that exists, conflicts with a key,
 * or is refused by the service; input one past a validator's limit; and unicode where a valid
 * value goes. Each is refused with the 4xx the API defines, and none may change anything.
 */
export function validButRefused(f: CorpusFixture): BorderlineRequest[] {
  const unconfigured = padded('unconfigured-', LIMIT);
  const missingEntities = [
    'component:default/does-not-exist',
    `${LONGEST_KIND}:${LONGEST_NAMESPACE}/${padded('missing_', LIMIT)}`,
    'component:other-namespace/checkout-api',
    'api:default/checkout-api',
  ];
  const missingIds = [
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '3f9c1d2e-7b4a-4c8e-9f10-2a3b4c5d6e7f',
  ];
  /** Lookalikes of valid values; none may be read as the value it resembles. */
  const lookalikes: Array<[string, string, string]> = [
    ['entityRef', 'component:default/chec\u212Aout-api', AN_ENTITY_REF],
    ['entityRef', 'component:default/\u0441heckout-api', AN_ENTITY_REF],
    ['entityRef', 'component:default/checkout-api\u200b', AN_ENTITY_REF],
    ['entityRef', '\uff43omponent:default/checkout-api', AN_ENTITY_REF],
    ['entityRef', 'component:default/checkout-\u{1F680}', AN_ENTITY_REF],
    [
      'environment',
      'stag\u0456ng',
      'must be lowercase letters, digits and hyphens',
    ],
    ['createdBy', 'user:default/alic\u00e9', 'must be a user entity ref'],
    ['ownerRef', 'group:default/team-\u00e7heckout', AN_ENTITY_REF],
  ];

  return [
    // Valid input naming nothing that exists.
    ...missingIds.flatMap(id =>
      KEY_ROUTES.map(([method, suffix]) => ({
        what: `${method} key ${id}${suffix}`,
        request: () => ({ method, path: `/v1/keys/${id}${suffix}` }),
        outcome: everyone({
          status: 404,
          message: `No ingestion key with id ${id}`,
        }),
      })),
    ),
    ...missingEntities.flatMap(ref => {
      const notFound = everyone({
        status: 404,
        message: `No catalog entity ${ref.toLocaleLowerCase(
          'en-US',
        )} that you can see`,
      });
      const query = `entityRef=${encodeURIComponent(ref)}`;
      return [
        ...['/v1/keys', '/v1/events', '/v1/provisioning/status'].map(route => ({
          what: `${route} of missing ${ref}`,
          request: get(`${route}?${query}`),
          outcome: notFound,
        })),
        {
          what: `a create for missing ${ref}`,
          request: post('/v1/keys', nameLimitsCreate({ entityRef: ref })),
          outcome: notFound,
        },
      ];
    }),

    // One past each limit.
    {
      what: 'a page one larger than the largest',
      request: get(listPath({ entityRef: CHECKOUT, limit: '1001' })),
      outcome: everyone(
        badRequest('query', 'limit must be between 1 and 1000'),
      ),
    },
    {
      what: 'an offset one past the largest',
      request: get(listPath({ entityRef: CHECKOUT, offset: '1000001' })),
      outcome: everyone(
        badRequest('query', 'offset must be between 0 and 1000000'),
      ),
    },
    ...(['environment', 'integration'] as const).map(field => ({
      what: `${field} one past the limit`,
      request: post(
        '/v1/keys',
        nameLimitsCreate({ [field]: padded('x', LIMIT + 1) }),
      ),
      outcome: everyone(
        badRequest(
          'body',
          `${field} string must contain at most ${LIMIT} character(s)`,
        ),
      ),
    })),
    ...[
      `component:default/${padded('a', LIMIT + 1)}`,
      `component:${padded('n', LIMIT + 1)}/checkout-api`,
      `${padded('K', LIMIT + 1)}:default/checkout-api`,
    ].flatMap(entityRef => [
      {
        what: `a create for ${entityRef}, one past a limit`,
        request: post('/v1/keys', nameLimitsCreate({ entityRef })),
        outcome: everyone(badRequest('body', `entityRef ${AN_ENTITY_REF}`)),
      },
      {
        what: `a list of ${entityRef}, one past a limit`,
        request: get(listPath({ entityRef })),
        outcome: everyone(badRequest('query', `entityRef ${AN_ENTITY_REF}`)),
      },
    ]),
    {
      what: 'createdBy one past 255 characters',
      request: get(
        listPath({ entityRef: CHECKOUT, createdBy: padded('plugin:', 256) }),
      ),
      outcome: everyone(
        badRequest(
          'query',
          'createdBy string must contain at most 255 character(s)',
        ),
      ),
    },
    {
      what: 'createdBy with a user name one past the limit',
      request: get(
        listPath({
          entityRef: CHECKOUT,
          createdBy: `user:default/${padded('a', LIMIT + 1)}`,
        }),
      ),
      outcome: everyone(
        badRequest(
          'query',
          'createdBy must be a user entity ref such as user:default/alice',
        ),
      ),
    },

    // Unicode where a valid value goes.
    ...lookalikes.map(([field, value, message]) => ({
      what: `${field} ${JSON.stringify(value)}`,
      request: get(listPath({ entityRef: CHECKOUT, [field]: value })),
      outcome: everyone(badRequest('query', `${field} ${message}`)),
    })),
    {
      what: 'an emoji integration in a create',
      request: post(
        '/v1/keys',
        nameLimitsCreate({ integration: 'otel-\u{1F680}' }),
      ),
      outcome: everyone(
        badRequest(
          'body',
          'integration must be lowercase letters, digits and hyphens',
        ),
      ),
    },

    // Valid input the service refuses, and conflicts with existing keys.
    {
      what: 'a create for an environment that is not configured',
      request: post(
        '/v1/keys',
        nameLimitsCreate({ environment: unconfigured }),
      ),
      outcome: ownersGet(
        {
          status: 400,
          message: `environment "${unconfigured}" is not configured; use one of ${ENVIRONMENTS.join(
            ', ',
          )}`,
        },
        'create',
        NAME_LIMITS_REF,
      ),
    },
    {
      what: 'remoteConfig on a Third Party key',
      request: post(
        '/v1/keys',
        nameLimitsCreate({ integration: 'otel', remoteConfig: true }),
      ),
      outcome: ownersGet(
        {
          status: 400,
          message: 'remoteConfig is only available for sensor keys',
        },
        'create',
        NAME_LIMITS_REF,
      ),
    },
    {
      what: 'a second create of a live identity',
      request: post('/v1/keys', {
        entityRef: CHECKOUT,
        environment: 'staging',
        type: 'sensor',
      }),
      outcome: ownersGet(
        {
          status: 409,
          message: `An ingestion key already exists for ${CHECKOUT}, staging, sensor: ${f.active.name} (id ${f.active.id}, active)`,
        },
        'create',
        CHECKOUT,
      ),
    },
    {
      what: 'a rotation of a key already rotated',
      request: post(`/v1/keys/${f.rotating.id}/rotate`),
      outcome: ownersGet(
        {
          status: 409,
          message: `Key ${f.rotating.name} has already been rotated; rotate its successor instead`,
        },
        'rotate',
        CHECKOUT,
      ),
    },
    ...(
      [
        ['reveal', `Key ${f.revoked.name} was revoked and cannot be revealed`],
        [
          'rotate',
          `Only active keys can be rotated; ${f.revoked.name} is revoked`,
        ],
      ] as const
    ).map(([action, message]) => ({
      what: `a ${action} of a revoked key`,
      request: post(`/v1/keys/${f.revoked.id}/${action}`),
      outcome: ownersGet({ status: 409, message }, action, CHECKOUT),
    })),
  ];
}
