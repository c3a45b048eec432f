import { Entity } from '@backstage/catalog-model';
import { MAX_KEY_NAME_LENGTH } from '@ingestion-keys/plugin-ingestion-keys-common';
import { TEST_ENTITIES } from 'test-backend';
import { Caller } from './corpusRequest';

/**
 * The catalog's limit on kinds, namespaces and names, which is also this plugin's limit on
 * environments, integrations and key names.
 */
export const LIMIT = MAX_KEY_NAME_LENGTH;

/** `start` made `length` characters long. */
export const padded = (start: string, length: number) =>
  start + 'x'.repeat(length - start.length);

export const LONGEST_KIND = padded('Limitkind', LIMIT);
export const LONGEST_NAMESPACE = padded('limit-ns-', LIMIT);
/** Underscores and dots are valid in entity names and never in key names. */
export const LONGEST_NAME = padded('svc_v1.', LIMIT);
/** As the API records it: entity refs are compared and stored in lower case. */
export const LONGEST_ENTITY_REF =
  `${LONGEST_KIND}:${LONGEST_NAMESPACE}/${LONGEST_NAME}`.toLocaleLowerCase(
    'en-US',
  );
export const LONGEST_ENVIRONMENT = padded('env-', LIMIT);
export const ENVIRONMENTS = ['production', 'staging', LONGEST_ENVIRONMENT];

/** A default component whose generated key names reach the limit through the integration. */
export const NAME_LIMITS_REF = 'component:default/name-limits';

/** A create of a Third Party key for production for {@link NAME_LIMITS_REF}, with `fields` changed. */
export const nameLimitsCreate = (fields: Record<string, unknown>) => ({
  entityRef: NAME_LIMITS_REF,
  environment: 'production',
  type: 'thirdParty',
  ...fields,
});

/** A caller's name as it may appear in an integration. */
export const callerSlug = (caller: Caller) => caller.toLocaleLowerCase('en-US');

/** An integration of `length` characters that differs for each caller, so their keys never clash. */
export const integrationOf = (caller: Caller, length: number, prefix = '') =>
  padded(`${prefix}${callerSlug(caller)}`, length);

function ownedByCheckout(kind: string, namespace: string, name: string) {
  const owner = 'group:default/team-checkout';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace },
    spec: { owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  } satisfies Entity;
}

/** The test catalog and, owned by alice's team, an entity at every limit and one for name limits. */
export const CORPUS_ENTITIES: Entity[] = [
  ...TEST_ENTITIES,
  ownedByCheckout(LONGEST_KIND, LONGEST_NAMESPACE, LONGEST_NAME),
  ownedByCheckout('Component', 'default', 'name-limits'),
];
