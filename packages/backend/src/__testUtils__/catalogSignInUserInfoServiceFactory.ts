import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';

/**
 * The user info of a signed-in user as the real backend has it. There, the catalog sign-in
 * resolver (`signInWithCatalogUser` in @backstage/plugin-auth-backend) puts the user's ref and
 * the groups of its `memberOf` relations into the token's `ent` claim, and the user-info service
 * reads that claim back. The test backend's mock tokens carry only the user's ref, so this reads
 * the same relations from the real catalog, the way that resolver does at sign-in.
 */
export const catalogSignInUserInfoServiceFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: { auth: coreServices.auth, catalog: catalogServiceRef },
  factory: ({ auth, catalog }) => ({
    async getUserInfo(credentials: BackstageCredentials) {
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new Error('Only users have user info');
      }
      const { userEntityRef } = (
        credentials as BackstageCredentials<BackstageUserPrincipal>
      ).principal;
      const user = await catalog.getEntityByRef(userEntityRef, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      if (!user) {
        throw new Error(`${userEntityRef} is not in the catalog`);
      }
      const groups = (user.relations ?? [])
        .filter(
          r =>
            r.type === RELATION_MEMBER_OF && r.targetRef.startsWith('group:'),
        )
        .map(r => r.targetRef);
      return {
        userEntityRef,
        ownershipEntityRefs: [...new Set([userEntityRef, ...groups])],
      };
    },
  }),
});
