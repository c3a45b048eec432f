import { Caller, post } from './corpusRequest';
import { CHECKOUT, CorpusFixture } from './corpusFixture';
import {
  callerSlug,
  integrationOf,
  LIMIT,
  LONGEST_ENTITY_REF,
  LONGEST_ENVIRONMENT,
  NAME_LIMITS_REF,
  nameLimitsCreate,
} from './limitValues';
import {
  adminsGet,
  BorderlineRequest,
  CREATED,
  ownersGet,
  ROTATED,
  rows,
} from './borderlineOutcome';

/**
 * Valid changes at the limits: creates whose generated name reaches the name limit, and changes to
 * existing keys. Each caller that may change keys makes its own, so that theirs never clash.
 */
export function changesAtTheLimits(f: CorpusFixture): BorderlineRequest[] {
  const atLimitBase = 'name-limits-production-thirdparty-';
  return [
    ...(
      [
        ['exactly at the limit', 0, (integration: string) => integration],
        // Cut to fit the hash that keeps the shortened name unique.
        [
          'one past the limit',
          1,
          (integration: string) => `${integration.slice(0, 22)}-[a-z0-9]{6}`,
        ],
      ] as const
    ).map(([what, over, nameEnd]) => {
      const integration = (caller: Caller) =>
        integrationOf(caller, LIMIT - atLimitBase.length + over);
      return {
        what: `a create whose readable name is ${what}`,
        request: (caller: Caller) =>
          post(
            '/v1/keys',
            nameLimitsCreate({ integration: integration(caller) }),
          ),
        outcome: ownersGet(
          caller => ({
            status: 201,
            writes: CREATED,
            name: new RegExp(`^${atLimitBase}${nameEnd(integration(caller))}$`),
          }),
          'create',
          NAME_LIMITS_REF,
        ),
      };
    }),
    {
      what: 'a create of the longest identity (entity, environment, integration)',
      request: caller =>
        post('/v1/keys', {
          entityRef: LONGEST_ENTITY_REF,
          environment: LONGEST_ENVIRONMENT,
          type: 'thirdParty',
          integration: integrationOf(caller, LIMIT),
        }),
      outcome: ownersGet(
        { status: 201, writes: CREATED, name: /^svc-v1-x{49}-[a-z0-9]{6}$/ },
        'create',
        LONGEST_ENTITY_REF,
      ),
    },
    {
      what: 'a create whose name would read like a rotation successor',
      request: caller =>
        post(
          '/v1/keys',
          nameLimitsCreate({ integration: `${callerSlug(caller)}-r2` }),
        ),
      outcome: ownersGet(
        caller => ({
          status: 201,
          writes: CREATED,
          name: new RegExp(
            `^${atLimitBase}${callerSlug(caller)}-r2-[a-z0-9]{6}$`,
          ),
        }),
        'create',
        NAME_LIMITS_REF,
      ),
    },
    {
      what: 'a create written with JSON unicode escapes of valid characters',
      request: caller => ({
        method: 'post',
        path: '/v1/keys',
        rawBody: {
          type: 'application/json',
          text: JSON.stringify(
            nameLimitsCreate({
              environment: 'staging',
              type: 'rum',
              integration: `escaped-${callerSlug(caller)}`,
            }),
          ).replace(/[ce]/g, c => `\\u00${c.charCodeAt(0).toString(16)}`),
        },
      }),
      outcome: ownersGet(
        caller => ({
          status: 201,
          writes: CREATED,
          name: new RegExp(
            `^name-limits-staging-rum-escaped-${callerSlug(caller)}$`,
          ),
        }),
        'create',
        NAME_LIMITS_REF,
      ),
    },

    // Changes to existing keys.
    {
      what: 'a rotation of a key whose name is at the limit',
      request: caller =>
        post(
          `/v1/keys/${
            f.longest[caller === 'nonOwner' ? 'owner' : caller].id
          }/rotate`,
        ),
      outcome: ownersGet(
        { status: 201, writes: ROTATED, name: /^svc-v1-x{46}-[a-z0-9]{6}-r2$/ },
        'rotate',
        LONGEST_ENTITY_REF,
      ),
    },
    {
      what: 'a reveal of a live key',
      request: post(`/v1/keys/${f.active.id}/reveal`),
      outcome: ownersGet(
        { status: 200, writes: { ingestion_key_events: rows(1) } },
        'reveal',
        CHECKOUT,
      ),
    },
    {
      what: 'a revocation of a key already revoked',
      request: () => ({ method: 'delete', path: `/v1/keys/${f.revoked.id}` }),
      outcome: ownersGet({ status: 200 }, 'revoke', CHECKOUT),
    },
    {
      what: 'a provisioning run',
      request: post('/v1/provisioning/run'),
      outcome: adminsGet(
        {
          status: 202,
          writes: { ingestion_key_provisioning_runs: rows(1) },
        },
        'Starting a provisioning run',
      ),
    },
  ];
}
