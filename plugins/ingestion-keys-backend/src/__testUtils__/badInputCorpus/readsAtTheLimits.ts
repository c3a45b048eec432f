import { KEY_SORT_FIELDS } from '@ingestion-keys/plugin-ingestion-keys-common';
import { TEST_USERS } from 'test-backend';
import { get, listPath } from './corpusRequest';
import { CHECKOUT, CorpusFixture } from './corpusFixture';
import {
  LONGEST_ENTITY_REF,
  LONGEST_NAME,
  LONGEST_NAMESPACE,
  padded,
} from './limitValues';
import {
  adminsGet,
  BorderlineRequest,
  everyone,
  Outcome,
} from './borderlineOutcome';
import { Caller } from './corpusRequest';

/** Every list filter at once, matching exactly the rotated fixture key. */
const everyFilter = {
  entityRef: CHECKOUT,
  environment: 'staging',
  type: 'thirdParty',
  status: 'rotating',
  createdBy: TEST_USERS.alice,
  ownerRef: 'group:default/team-checkout',
  includeRevoked: 'true',
  limit: '1000',
};

/** Reads at the limits the validators allow: every caller may read, admins across the organisation. */
export function readsAtTheLimits(f: CorpusFixture): BorderlineRequest[] {
  const { entityRef: _one, ...orgWideFilter } = everyFilter;
  const longestUser = `user:${LONGEST_NAMESPACE}/${LONGEST_NAME}`;
  return [
    {
      what: 'the largest page at the largest offset',
      request: get(
        listPath({ entityRef: CHECKOUT, limit: '1000', offset: '1000000' }),
      ),
      outcome: everyone({ status: 200, listed: { ids: [], totalCount: 3 } }),
    },
    ...KEY_SORT_FIELDS.flatMap(orderBy =>
      ['asc', 'desc'].map(order => ({
        what: `every filter at once, sorted by ${orderBy} ${order}`,
        request: get(listPath({ ...everyFilter, orderBy, order })),
        outcome: everyone({
          status: 200,
          listed: { ids: [f.rotating.id], totalCount: 1 },
        }),
      })),
    ),
    {
      what: 'every filter at once at the largest offset',
      request: get(listPath({ ...everyFilter, offset: '1000000' })),
      outcome: everyone({ status: 200, listed: { ids: [], totalCount: 1 } }),
    },
    ...(
      [everyFilter, { ...everyFilter, offset: '1000000' }] as Array<
        Record<string, string>
      >
    ).map(filter => ({
      what: `every filter at once${
        filter.offset ? ' at the largest offset' : ''
      }, among the caller's teams' keys`,
      request: get(`/v1/my/keys?${new URLSearchParams(filter)}`),
      // alice's team owns checkout-api; bob's and carol's teams own none of the fixture's keys.
      outcome: (caller: Caller): Outcome => {
        if (caller === 'service') {
          return {
            status: 403,
            message:
              "Listing the keys of your teams' entities is for signed-in users",
          };
        }
        const ids = caller === 'owner' && !filter.offset ? [f.rotating.id] : [];
        return {
          status: 200,
          listed: { ids, totalCount: caller === 'owner' ? 1 : 0 },
        };
      },
    })),
    {
      what: 'every filter but the entity, across the organisation',
      request: get(listPath(orgWideFilter)),
      outcome: adminsGet(
        { status: 200, listed: { ids: [f.rotating.id], totalCount: 1 } },
        "Listing keys across the organisation (pass entityRef for one entity's keys)",
      ),
    },
    {
      what: 'an entity history with revoked keys, by name descending',
      request: get(
        listPath({
          entityRef: CHECKOUT,
          environment: 'staging',
          includeRevoked: 'true',
          orderBy: 'name',
          order: 'desc',
        }),
      ),
      outcome: everyone({
        status: 200,
        listed: {
          ids: [f.successor.id, f.rotating.id, f.active.id, f.revoked.id],
          totalCount: 4,
        },
      }),
    },
    {
      what: 'an entity ref in another case names the same entity',
      request: get(
        listPath({
          entityRef: 'Component:default/Checkout-API',
          orderBy: 'name',
        }),
      ),
      outcome: everyone({
        status: 200,
        listed: {
          ids: [f.active.id, f.rotating.id, f.successor.id],
          totalCount: 3,
        },
      }),
    },
    ...[
      ['the longest user ref', longestUser],
      ['the longest service subject', padded('plugin:', 255)],
    ].map(([what, createdBy]) => ({
      what: `createdBy at ${what}`,
      request: get(listPath({ entityRef: CHECKOUT, createdBy })),
      outcome: everyone({ status: 200, listed: { ids: [], totalCount: 0 } }),
    })),
    {
      what: 'ownerRef at the longest entity ref',
      request: get(
        listPath({
          entityRef: CHECKOUT,
          ownerRef: `group:${LONGEST_NAMESPACE}/${LONGEST_NAME}`,
        }),
      ),
      outcome: everyone({ status: 200, listed: { ids: [], totalCount: 0 } }),
    },
    ...['/v1/keys', '/v1/events', '/v1/provisioning/status'].map(route => ({
      what: `${route} of the entity with the longest ref`,
      request: get(
        `${route}?entityRef=${encodeURIComponent(LONGEST_ENTITY_REF)}`,
      ),
      outcome: everyone({ status: 200 }),
    })),
    ...(['', '/events'] as const).map(suffix => ({
      what: `GET a key of the longest identity${suffix}`,
      request: get(`/v1/keys/${f.longest.owner.id}${suffix}`),
      outcome: everyone({ status: 200 }),
    })),

    {
      what: "the organisation's provisioning status",
      request: get('/v1/provisioning/status'),
      outcome: adminsGet(
        { status: 200 },
        "The organisation's provisioning status (pass entityRef for one entity's)",
      ),
    },
  ];
}
