import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  ingestionKeyReadPermission,
  ingestionKeysAdminPermission,
} from '@ingestion-keys/plugin-ingestion-keys-common';

export interface DemoPermissionPolicyOptions {
  /** Group refs whose members may do everything. */
  adminGroups: string[];
}

/**
 * The demo portal's policy:
 * - members of an admin group may do everything;
 * - anyone signed in may see ingestion-key metadata; creating, revealing, rotating and revoking
 *   keys is for the owners of the key's entity, decided by the catalog from ownership;
 * - the org-wide key list is for admins only;
 * - catalog entities may be deleted by their owners; everything else in the catalog is allowed.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: Set<string>;

  static create(options: DemoPermissionPolicyOptions) {
    return new DemoPermissionPolicy(options);
  }

  /** The policy as the portal configures it: admin groups from `permission.adminGroups`. */
  static fromConfig(config: Config) {
    return DemoPermissionPolicy.create({
      adminGroups:
        config.getOptionalStringArray('permission.adminGroups') ?? [],
    });
  }

  private constructor(options: DemoPermissionPolicyOptions) {
    this.adminGroups = new Set(
      options.adminGroups.map(ref =>
        stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group' })),
      ),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.some(ref => this.adminGroups.has(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }

    const { permission } = request;
    if (isPermission(permission, ingestionKeysAdminPermission)) {
      return { result: AuthorizeResult.DENY };
    }
    if (permission.name.startsWith('ingestion-keys.key.')) {
      if (isPermission(permission, ingestionKeyReadPermission)) {
        return { result: AuthorizeResult.ALLOW };
      }
      if (isResourcePermission(permission, 'catalog-entity')) {
        return createCatalogConditionalDecision(
          permission,
          catalogConditions.isEntityOwner({ claims }),
        );
      }
      return { result: AuthorizeResult.DENY };
    }
    if (isPermission(permission, catalogEntityDeletePermission)) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
