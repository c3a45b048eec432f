import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { TEST_MEMBERSHIP } from './testCatalog';

/**
 * The user info sign-in gives the test users: their own ref and their teams, as the catalog
 * sign-in resolver puts them in a real token's ownership claim.
 */
export const testUserInfoServiceFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const { userEntityRef } = (
        credentials as BackstageCredentials<BackstageUserPrincipal>
      ).principal;
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(TEST_MEMBERSHIP[userEntityRef] ?? []),
        ],
      };
    },
  }),
});
