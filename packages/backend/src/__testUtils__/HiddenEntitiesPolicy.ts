import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { ingestionKeysAdminPermission } from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * A test-only rule on top of a policy: entities carrying the annotation are not readable in
 * the catalog for anyone the policy does not hold to be an ingestion-keys admin, owners included.
 * The catalog applies the conditional decision itself, as it would a real policy's.
 */
export class HiddenEntitiesPolicy implements PermissionPolicy {
  constructor(
    private readonly policy: PermissionPolicy,
    private readonly annotation: string,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const decision = await this.policy.handle(request, user);
    const { permission } = request;
    if (
      !isPermission(permission, catalogEntityReadPermission) ||
      decision.result !== AuthorizeResult.ALLOW
    ) {
      return decision;
    }
    const admin = await this.policy.handle(
      { permission: ingestionKeysAdminPermission },
      user,
    );
    if (admin.result === AuthorizeResult.ALLOW) {
      return decision;
    }
    return createCatalogConditionalDecision(permission, {
      not: catalogConditions.hasAnnotation({ annotation: this.annotation }),
    });
  }
}
