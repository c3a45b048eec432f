import {
  CompoundEntityRef,
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { IngestionKey, IngestionKeySpec, IngestionKeyType } from './types';

/**
 * An entity ref in the one form keys are recorded, compared and named by. The catalog treats
 * refs case-insensitively, so two spellings of one entity must never make two keys.
 *
 * @public
 */
export function normalizeEntityRef(ref: string | CompoundEntityRef): string {
  return (
    typeof ref === 'string' ? ref : stringifyEntityRef(ref)
  ).toLocaleLowerCase('en-US');
}

/**
 * The normalised ref of a catalog entity.
 *
 * @public
 */
export function entityRefOf(entity: Entity): string {
  return normalizeEntityRef(stringifyEntityRef(entity));
}

/**
 * The normalised ref of an entity's owner, as recorded on the keys made for it.
 *
 * @public
 */
export function ownerRefOf(entity: Entity): string | undefined {
  const owner = entity.relations?.find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;
  return owner === undefined ? undefined : normalizeEntityRef(owner);
}

/**
 * Just the fields that say what a key is for, without anything else the value carries.
 *
 * @public
 */
export function keySpecOf(spec: IngestionKeySpec): IngestionKeySpec {
  return {
    entityRef: spec.entityRef,
    environment: spec.environment,
    type: spec.type,
    ...(spec.integration ? { integration: spec.integration } : {}),
  };
}

/**
 * The identity that at most one live key may hold.
 *
 * @public
 */
export function keyIdentityOf(spec: IngestionKeySpec): string {
  return [
    normalizeEntityRef(spec.entityRef),
    spec.environment,
    spec.type,
    spec.integration ?? '',
  ].join('|');
}

/**
 * Whether a live key stands for its identity. A rotation successor does once it is active (its
 * predecessor then only waits to be revoked), not while it is still being created.
 *
 * @public
 */
export function holdsKeyIdentity(
  key: Pick<IngestionKey, 'status' | 'replacesId'>,
): boolean {
  return !(key.status === 'pending' && key.replacesId);
}

/**
 * Labels a key carries in its store so that the plugin can recognise its own keys later, for
 * example when adopting a key whose database record was lost.
 *
 * @public
 */
export interface KeyTags {
  managedBy: string;
  entityRef: string;
  environment: string;
  type: IngestionKeyType;
  integration?: string;
}

/**
 * The tags a key of this identity carries in the store of the portal marked `managedBy`.
 *
 * @public
 */
export function keyTagsFor(spec: IngestionKeySpec, managedBy: string): KeyTags {
  return { managedBy, ...keySpecOf(spec) };
}

/**
 * Whether a key found in a store was made by this portal for exactly this purpose: the only
 * case in which a store or the reconciler may adopt it instead of creating a new one.
 *
 * @public
 */
export function isSameKeyIdentity(
  found: KeyTags | undefined,
  wanted: KeyTags,
): boolean {
  return (
    !!found &&
    found.managedBy === wanted.managedBy &&
    normalizeEntityRef(found.entityRef) ===
      normalizeEntityRef(wanted.entityRef) &&
    found.environment === wanted.environment &&
    found.type === wanted.type &&
    (found.integration ?? '') === (wanted.integration ?? '')
  );
}
