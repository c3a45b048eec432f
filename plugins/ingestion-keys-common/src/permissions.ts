import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Key permissions are resource permissions on the owning catalog entity, so a policy can decide
 * them from catalog ownership (`isEntityOwner`).
 */
const entityPermission = (
  action: string,
  verb: 'read' | 'create' | 'update' | 'delete',
): ResourcePermission<'catalog-entity'> =>
  createPermission({
    name: `ingestion-keys.key.${action}`,
    attributes: { action: verb },
    resourceType: 'catalog-entity',
  });

export const ingestionKeyReadPermission = entityPermission('read', 'read');
export const ingestionKeyCreatePermission = entityPermission(
  'create',
  'create',
);
export const ingestionKeyRevealPermission = entityPermission('reveal', 'read');
export const ingestionKeyRotatePermission = entityPermission(
  'rotate',
  'update',
);
export const ingestionKeyRevokePermission = entityPermission(
  'revoke',
  'delete',
);

/** Org-wide listing and provisioning administration. */
export const ingestionKeysAdminPermission = createPermission({
  name: 'ingestion-keys.admin',
  attributes: {},
});

export const ingestionKeysPermissions = [
  ingestionKeyReadPermission,
  ingestionKeyCreatePermission,
  ingestionKeyRevealPermission,
  ingestionKeyRotatePermission,
  ingestionKeyRevokePermission,
  ingestionKeysAdminPermission,
];
