import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * The mock auth service, except that a plugin calling another on behalf of a user names itself
 * as the actor, as real plugin tokens do (the real auth service reads a plugin token's `obo`
 * claim as the user, with the calling plugin as `actor`). The mock's own on-behalf-of tokens
 * drop the actor, and the permission backend then refuses the catalog's conditional read query,
 * which only a plugin acting for a user may send.
 */
export const actorNamingAuthServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return Object.assign(Object.create(auth), {
      async getPluginRequestToken(options: {
        onBehalfOf: BackstageCredentials;
        targetPluginId: string;
      }) {
        if (!auth.isPrincipal(options.onBehalfOf, 'user')) {
          return auth.getPluginRequestToken(options);
        }
        const { userEntityRef } = (
          options.onBehalfOf as BackstageCredentials<BackstageUserPrincipal>
        ).principal;
        return {
          token: mockCredentials.user.token(userEntityRef, {
            actor: { subject: `plugin:${plugin.getId()}` },
          }),
        };
      },
    });
  },
});
