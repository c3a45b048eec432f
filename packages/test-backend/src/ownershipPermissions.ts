import { mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { ADMIN_GROUP, TEST_MEMBERSHIP } from './testCatalog';

/**
 * A permissions service that decides like the demo policy does with the catalog's ownership
 * rule: services and admins may do everything, anyone may read, only owners may change or
 * reveal, the org-wide list is for admins. The real policy has its own tests in the demo backend.
 */
export function ownershipPermissions(entities: Entity[]) {
  const ownerOf = new Map(
    entities.map(e => [
      stringifyEntityRef(e),
      stringifyEntityRef(
        parseEntityRef(String(e.spec?.owner), { defaultKind: 'group' }),
      ),
    ]),
  );
  return mockServices.permissions.mock({
    authorize: async (
      requests: AuthorizePermissionRequest[],
      options?: { credentials: BackstageCredentials },
    ) =>
      requests.map(request => {
        const principal = options?.credentials.principal as any;
        if (principal?.type === 'service') {
          return { result: AuthorizeResult.ALLOW };
        }
        const user: string | undefined = principal?.userEntityRef;
        const claims = user ? [user, ...(TEST_MEMBERSHIP[user] ?? [])] : [];
        if (claims.includes(ADMIN_GROUP)) {
          return { result: AuthorizeResult.ALLOW };
        }
        const name = request.permission.name;
        if (name === 'ingestion-keys.admin') {
          return { result: AuthorizeResult.DENY };
        }
        if (name === 'ingestion-keys.key.read') {
          return { result: AuthorizeResult.ALLOW };
        }
        const owner = request.resourceRef
          ? ownerOf.get(request.resourceRef)
          : undefined;
        return {
          result:
            owner && claims.includes(owner)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      }) as any,
  });
}
