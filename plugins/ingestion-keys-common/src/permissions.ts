import {
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

/** @public */
export const ingestionKeysPermissions = [
  ingestionKeyReadPermission,
  ingestionKeyCreatePermission,
  ingestionKeyRevealPermission,
  ingestionKeyRotatePermission,
  ingestionKeyRevokePermission,
  ingestionKeysAdminPermission,
];
