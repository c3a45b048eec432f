import { Entity } from '@backstage/catalog-model';

/** Marks an entity the test policy hides from everyone but admins. */
export const HIDDEN_ANNOTATION = 'test.ingestion-keys/hidden';

export const TEAM_CHECKOUT = 'group:default/team-checkout';
export const TEAM_PLATFORM = 'group:default/team-platform';
export const ADMIN_GROUP = 'group:default/platform-admins';

/** alice is on the checkout team, bob on the platform team, carol is an admin. */
export const USERS = {
  alice: 'user:default/alice',
  bob: 'user:default/bob',
  carol: 'user:default/carol',
} as const;

export const CHECKOUT_API = 'component:default/checkout-api';
export const HIDDEN_API = 'component:default/hidden-api';
export const MOVING_API = 'component:default/moving-api';

function group(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type: 'team', children: [] },
  };
}

function user(name: string, memberOf: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf: [memberOf] },
  };
}

export function component(
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/**
 * What the catalog starts with. Memberships are declared on the users, as an org provider
 * would; the catalog turns them into the `memberOf` relations sign-in reads.
 */
export const ORGANISATION: Entity[] = [
  group('team-checkout'),
  group('team-platform'),
  group('platform-admins'),
  user('alice', TEAM_CHECKOUT),
  user('bob', TEAM_PLATFORM),
  user('carol', ADMIN_GROUP),
  component('checkout-api', TEAM_CHECKOUT),
  component('hidden-api', TEAM_CHECKOUT, { [HIDDEN_ANNOTATION]: 'true' }),
  component('moving-api', TEAM_CHECKOUT),
];
