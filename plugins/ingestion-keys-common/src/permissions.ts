import {
  BasicPermission,
  createPermission,
  PermissionAttributes,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Key permissions are resource permissions on the owning catalog entity, so a policy can decide
 * them from catalog ownership (`isEntityOwner`).
 */
const entityPermission = (
  action: string,
  attributes: PermissionAttributes,
): ResourcePermission<'catalog-entity'> =>
  createPermission({
    name: `ingestion-keys.key.${action}`,
    attributes,
    resourceType: 'catalog-entity',
  });

/** @public */
export const ingestionKeyReadPermission = entityPermission('read', {
  action: 'read',
});
/** @public */
export const ingestionKeyCreatePermission = entityPermission('create', {
  action: 'create',
});
/**
 * Hands out a secret, so it carries no CRUD action: a policy, RBAC role or token restriction
 * that grants every `read` (or any other action) never grants it; it is granted by its name.
 *
 * @public
 */
export const ingestionKeyRevealPermission = entityPermission('reveal', {});
/** @public */
export const ingestionKeyRotatePermission = entityPermission('rotate', {
  action: 'update',
});
/** @public */
export const ingestionKeyRevokePermission = entityPermission('revoke', {
  action: 'delete',
});

/**
 * Org-wide listing and provisioning administration.
 *
 * @public
 */
export const ingestionKeysAdminPermission = createPermission({
  name: 'ingestion-keys.admin',
  attributes: {},
});

/**
 * Every permission of the plugin, for the permissions registry. Its type is written out so that
 * the API report prints one union, whatever order the compiler meets its members in.
 *
 * @public
 */
export const ingestionKeysPermissions: Array<
  ResourcePermission<'catalog-entity'> | BasicPermission
> = [
  ingestionKeyReadPermission,
  ingestionKeyCreatePermission,
  ingestionKeyRevealPermission,
  ingestionKeyRotatePermission,
  ingestionKeyRevokePermission,
  ingestionKeysAdminPermission,
];
