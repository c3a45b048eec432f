import {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * A static token as `backend.auth.externalAccess` configures one (`type: static`), restricted
 * to the ingestion-keys plugin and there to reading and revealing keys.
 */
export const RESTRICTED_STATIC_TOKEN = {
  token: 'static-token-of-the-secrets-sync-job',
  // The real auth service gives a static token's subject as configured, without a prefix.
  subject: 'secrets-sync',
  plugin: 'ingestion-keys',
  accessRestrictions: {
    permissionNames: ['ingestion-keys.key.read', 'ingestion-keys.key.reveal'],
  },
};

/** An error that Backstage's error handler answers like its own error class of that name. */
const namedError = (name: string, message: string) =>
  Object.assign(new Error(message), { name });

/**
 * The mock auth service, with what the tests need of the real one:
 * - a plugin calling another on behalf of a user names itself as the actor, as real plugin
 *   tokens do (the real auth service reads a plugin token's `obo` claim as the user, with the
 *   calling plugin as `actor`). The mock's own on-behalf-of tokens drop the actor, and the
 *   permission backend then refuses the catalog's conditional read query, which only a plugin
 *   acting for a user may send;
 * - {@link RESTRICTED_STATIC_TOKEN} authenticates, on its plugin only, as a service with its
 *   access restrictions, and such credentials cannot be forwarded to another plugin: the real
 *   service refuses to issue a token on their behalf.
 */
export const testAuthServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return Object.assign(Object.create(auth), {
      async authenticate(
        token: string,
        options?: { allowLimitedAccess?: boolean },
      ) {
        if (token !== RESTRICTED_STATIC_TOKEN.token) {
          return auth.authenticate(token, options);
        }
        if (plugin.getId() !== RESTRICTED_STATIC_TOKEN.plugin) {
          throw namedError('AuthenticationError', 'Illegal token');
        }
        return mockCredentials.service(
          RESTRICTED_STATIC_TOKEN.subject,
          RESTRICTED_STATIC_TOKEN.accessRestrictions,
        );
      },
      async getPluginRequestToken(options: {
        onBehalfOf: BackstageCredentials;
        targetPluginId: string;
      }) {
        const { principal } = options.onBehalfOf as BackstageCredentials<
          BackstageUserPrincipal | BackstageServicePrincipal
        >;
        if (principal.type === 'service' && principal.accessRestrictions) {
          throw namedError(
            'NotAllowedError',
            `Access to target plugin '${options.targetPluginId}' is not included in token's access restrictions`,
          );
        }
        if (principal.type !== 'user') {
          return auth.getPluginRequestToken(options);
        }
        return {
          token: mockCredentials.user.token(principal.userEntityRef, {
            actor: { subject: `plugin:${plugin.getId()}` },
          }),
        };
      },
    });
  },
});
