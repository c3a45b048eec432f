import { Entity } from '@backstage/catalog-model';

/** Members of each test team; carol is an admin. */
export const TEST_USERS = {
  alice: 'user:default/alice',
  bob: 'user:default/bob',
  carol: 'user:default/carol',
} as const;

export const TEST_MEMBERSHIP: Record<string, string[]> = {
  [TEST_USERS.alice]: ['group:default/team-checkout'],
  [TEST_USERS.bob]: ['group:default/team-platform'],
  [TEST_USERS.carol]: ['group:default/platform-admins'],
};

export const ADMIN_GROUP = 'group:default/platform-admins';

function component(
  name: string,
  owner: string,
  annotations?: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(annotations ? { annotations } : {}),
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/** alice's team owns checkout-api; bob's team owns search-api. */
export const TEST_ENTITIES: Entity[] = [
  component('checkout-api', 'group:default/team-checkout'),
  component('search-api', 'group:default/team-platform'),
];

const ledger = component('ledger-api', 'group:default/team-checkout', {
  'ingestion-keys/provision':
    'production:sensor, staging:thirdParty:otel-collector',
});

/** alice's team's ledger-api declares the keys it needs; a test can remove it by its uid. */
export const LEDGER_API: Entity = {
  ...ledger,
  metadata: { ...ledger.metadata, uid: 'ledger-api-uid' },
};
