import { randomUUID } from 'node:crypto';
import { Response } from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { ingestionKeysPermissions } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  IngestionKeysRouteCaller,
  RouteName,
} from './__testUtils__/IngestionKeysRouteCaller';
import { startAuthorizationTestBackend } from './__testUtils__/startAuthorizationTestBackend';
import { RESTRICTED_STATIC_TOKEN } from './__testUtils__/testAuthServiceFactory';
import {
  CHECKOUT_API,
  component,
  HIDDEN_API,
  MOVING_API,
  TEAM_PLATFORM,
  USERS,
} from './__testUtils__/testOrganisation';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** A backend service's token for this plugin, as another plugin would get one. */
const serviceHeader = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'ingestion-keys',
  });

/**
 * owner: alice, whose team owns the entity; non-owner: bob; admin: carol of the admin group;
 * service: a backend service config does not name; allowedService: the scaffolder, which config
 * allows everything; restrictedToken: a static token restricted to this plugin's read and reveal
 * permissions, which config allows reveal and rotate (so rotate is refused by the token).
 */
const PRINCIPALS = {
  owner: { user: USERS.alice },
  nonOwner: { user: USERS.bob },
  admin: { user: USERS.carol },
  service: { header: serviceHeader('plugin:search') },
  allowedService: { header: serviceHeader('plugin:scaffolder') },
  restrictedToken: { header: `Bearer ${RESTRICTED_STATIC_TOKEN.token}` },
  unauthenticated: {},
} as const;
type Principal = keyof typeof PRINCIPALS;

function authorizationOf(principal: Principal): string | undefined {
  const p: { user?: string; header?: string } = PRINCIPALS[principal];
  return p.user ? mockCredentials.user.header(p.user) : p.header;
}

/**
 * The permission model: what each route answers each principal for an entity the owner's team
 * owns, and the permissions the route asks the policy for a user (an entity's provisioning status
 * also asks whether they are an admin, who is told more). `:id` is a key of that entity made
 * for the cell alone; `?entityRef` names the entity.
 */
const READ_THEN_ADMIN = ['ingestion-keys.key.read', 'ingestion-keys.admin'];

/**
 * The entities each user's teams own and the user can see in the catalog: alice's team owns
 * checkout-api and moving-api (and hidden-api, which the catalog hides from her); bob's and
 * carol's teams own none.
 */
const OWNED_AND_VISIBLE: Record<string, string[]> = {
  [USERS.alice]: [CHECKOUT_API, MOVING_API],
  [USERS.bob]: [],
  [USERS.carol]: [],
};
/** The teams' routes ask for read once per entity the user's teams own and can see. */
const READ_PER_OWNED_ENTITY = (user: string) =>
  OWNED_AND_VISIBLE[user].map(() => 'ingestion-keys.key.read');

type PermissionsAsked =
  | string
  | string[]
  | undefined
  | ((user: string) => string[]);

// prettier-ignore
const MATRIX: Array<[RouteName, PermissionsAsked, ...number[]]> = [
  // route                                  asks the policy for          owner nonOwner admin service allowedService restrictedToken unauthenticated
  ['GET /health',                           undefined,                    200,  200,     200,  200,    200,           200,            200],
  ['GET /v1/settings',                      undefined,                    200,  200,     200,  200,    200,           200,            401],
  ['GET /v1/keys?entityRef',                'ingestion-keys.key.read',    200,  200,     200,  200,    200,           200,            401],
  ['GET /v1/keys',                          'ingestion-keys.admin',       403,  403,     200,  403,    200,           403,            401],
  ['GET /v1/my/keys',                       READ_PER_OWNED_ENTITY,        200,  200,     200,  403,    403,           403,            401],
  ['GET /v1/my/provisioning/problems',      READ_PER_OWNED_ENTITY,        200,  200,     200,  403,    403,           403,            401],
  ['POST /v1/keys',                         'ingestion-keys.key.create',  201,  403,     201,  403,    201,           403,            401],
  ['GET /v1/keys/:id',                      'ingestion-keys.key.read',    200,  200,     200,  200,    200,           200,            401],
  ['POST /v1/keys/:id/reveal',              'ingestion-keys.key.reveal',  200,  403,     200,  403,    200,           200,            401],
  ['POST /v1/keys/:id/rotate',              'ingestion-keys.key.rotate',  201,  403,     201,  403,    201,           403,            401],
  ['DELETE /v1/keys/:id',                   'ingestion-keys.key.revoke',  200,  403,     200,  403,    200,           403,            401],
  ['GET /v1/keys/:id/events',               'ingestion-keys.key.read',    200,  200,     200,  200,    200,           200,            401],
  ['GET /v1/events?entityRef',              'ingestion-keys.key.read',    200,  200,     200,  200,    200,           200,            401],
  ['GET /v1/provisioning/status?entityRef', READ_THEN_ADMIN,              200,  200,     200,  200,    200,           200,            401],
  ['GET /v1/provisioning/status',           'ingestion-keys.admin',       403,  403,     200,  403,    200,           403,            401],
  ['POST /v1/provisioning/run',             'ingestion-keys.admin',       403,  403,     202,  403,    202,           403,            401],
  ['GET /v1/delivery/kinds',                undefined,                    200,  200,     200,  200,    200,           200,            401],
  ['GET /v1/targets?entityRef',             'ingestion-keys.key.read',    200,  200,     200,  200,    200,           200,            401],
  ['POST /v1/keys/:id/targets',             'ingestion-keys.key.reveal',  201,  403,     201,  403,    201,           201,            401],
  ['POST /v1/targets/:targetId/deliver',    'ingestion-keys.key.reveal',  200,  403,     200,  403,    200,           200,            401],
  ['DELETE /v1/targets/:targetId',          'ingestion-keys.key.reveal',  204,  403,     204,  403,    204,           204,            401],
  ['GET /v1/targets/failed',                'ingestion-keys.admin',       403,  403,     200,  403,    200,           403,            401],
  ['POST /v1/delivery/run',                 'ingestion-keys.admin',       403,  403,     202,  403,    202,           403,            401],
  // Only the token of the store's configured subject pulls, and none of these principals has it.
  ['GET /v1/external-secrets/eu/checkout-api-staging-sensor', undefined, 403, 403, 403, 403, 403, 403, 401],
];

const PRINCIPAL_COLUMNS = Object.keys(PRINCIPALS) as Principal[];
const CELLS = MATRIX.flatMap(([route, permission, ...statuses]) =>
  PRINCIPAL_COLUMNS.map((principal, i) => ({
    route,
    permission,
    principal,
    status: statuses[i],
  })),
);
const statusOf = (route: RouteName, principal: Principal) =>
  CELLS.find(c => c.route === route && c.principal === principal)!.status;

const KEY_PERMISSIONS = new Set(ingestionKeysPermissions.map(p => p.name));

const NO_SUCH_API = 'component:default/no-such-api';

/** Routes that act on one entity, or on one of its keys. */
const ENTITY_ROUTES = MATRIX.map(([route]) => route).filter(route =>
  /:id|\?entityRef|^POST \/v1\/keys$/.test(route),
);

describe.each(databases.eachSupportedId())(
  'ingestion-keys authorization with the real catalog and permission backend on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startAuthorizationTestBackend>>;
    let routes: IngestionKeysRouteCaller;

    beforeAll(async () => {
      backend = await startAuthorizationTestBackend(databases, databaseId);
      routes = new IngestionKeysRouteCaller(backend.api);
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const secretsIn = (res: Response) => {
      const text = JSON.stringify(res.body);
      return routes.secrets.filter(secret => text.includes(secret));
    };

    it.each(CELLS)(
      '$route answers the $principal $status',
      async ({ route, permission, principal, status }) => {
        backend.policyQueries.clear();
        const res = await routes.call(
          route,
          CHECKOUT_API,
          authorizationOf(principal),
        );
        expect(res.status).toBe(status);
        // Only a successful create, reveal or rotate may answer with a secret.
        expect(res.status < 400 ? [] : secretsIn(res)).toEqual([]);
        // Services are decided by their access restrictions, without the policy.
        const { user } = PRINCIPALS[principal] as { user?: string };
        const expected =
          typeof permission === 'function' && user
            ? permission(user)
            : [permission ?? []].flat();
        expect(backend.policyQueries.asked(KEY_PERMISSIONS)).toEqual(
          user && status !== 401
            ? expected.map(p => ({ userEntityRef: user, permission: p }))
            : [],
        );
      },
    );

    describe('on an entity the caller may not see', () => {
      /** The answer with the ref the caller asked for taken out, in plain and URL-encoded form. */
      const withoutAskedRef = (res: Response, asked: string) =>
        JSON.stringify(res.body)
          .split(asked)
          .join('<asked>')
          .split(encodeURIComponent(asked))
          .join('<asked>');

      it.each(
        ENTITY_ROUTES.flatMap(route =>
          (['owner', 'nonOwner'] as const).map(principal => ({
            route,
            principal,
          })),
        ),
      )(
        '$route answers the $principal 404 as if it did not exist',
        async ({ route, principal }) => {
          const auth = authorizationOf(principal);
          const keyId = route.includes(':id')
            ? await routes.createKey(HIDDEN_API)
            : undefined;
          const missingKeyId = randomUUID();

          const res = await routes.send(
            route,
            { entityRef: HIDDEN_API, keyId },
            auth,
          );
          const nonexistent = await routes.send(
            route,
            { entityRef: NO_SUCH_API, keyId: missingKeyId },
            auth,
          );

          expect(res.status).toBe(404);
          expect(withoutAskedRef(res, keyId ?? HIDDEN_API)).toEqual(
            withoutAskedRef(nonexistent, keyId ? missingKeyId : NO_SUCH_API),
          );
        },
      );

      it.each(ENTITY_ROUTES)('%s still serves an admin', async route => {
        const res = await routes.call(
          route,
          HIDDEN_API,
          authorizationOf('admin'),
        );
        expect(res.status).toBe(statusOf(route, 'admin'));
      });
    });

    it('follows an ownership change in the running catalog', async () => {
      const writes: RouteName[] = [
        'POST /v1/keys',
        'POST /v1/keys/:id/reveal',
        'POST /v1/keys/:id/rotate',
        'DELETE /v1/keys/:id',
      ];
      const answers = async () => {
        const statuses: Record<string, Record<string, number>> = {};
        for (const route of writes) {
          statuses[route] = {};
          for (const user of [USERS.alice, USERS.bob]) {
            const res = await routes.call(
              route,
              MOVING_API,
              mockCredentials.user.header(user),
            );
            statuses[route][user] = res.status;
          }
        }
        return statuses;
      };
      const ownedBy = (owner: string, other: string) =>
        Object.fromEntries(
          writes.map(route => [
            route,
            { [owner]: statusOf(route, 'owner'), [other]: 403 },
          ]),
        );

      /** The entities whose keys the user's "my teams' keys" list holds. */
      const teamKeyEntities = async (user: string) => {
        const res = await routes.send(
          'GET /v1/my/keys',
          { entityRef: MOVING_API },
          mockCredentials.user.header(user),
        );
        return [...new Set(res.body.items.map((k: any) => k.entityRef))];
      };

      expect(await answers()).toEqual(ownedBy(USERS.alice, USERS.bob));
      expect(await teamKeyEntities(USERS.alice)).toContain(MOVING_API);
      expect(await teamKeyEntities(USERS.bob)).not.toContain(MOVING_API);
      await backend.putEntities([component('moving-api', TEAM_PLATFORM)]);
      expect(await answers()).toEqual(ownedBy(USERS.bob, USERS.alice));
      expect(await teamKeyEntities(USERS.bob)).toContain(MOVING_API);
      expect(await teamKeyEntities(USERS.alice)).not.toContain(MOVING_API);
    });
  },
);
