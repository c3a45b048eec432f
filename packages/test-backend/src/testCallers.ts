import { mockCredentials } from '@backstage/backend-test-utils';
import { TEST_USERS } from './testCatalog';

/** Where the plugin's versioned API is mounted in a test backend. */
export const API_V1 = '/api/ingestion-keys/v1';

/**
 * `Authorization` headers of the test callers: alice's team owns checkout-api, bob's search-api,
 * carol is an admin; `service` is another backend plugin.
 */
export const AUTH_AS = {
  alice: mockCredentials.user.header(TEST_USERS.alice),
  bob: mockCredentials.user.header(TEST_USERS.bob),
  carol: mockCredentials.user.header(TEST_USERS.carol),
  service: mockCredentials.service.header(),
};

/**
 * The `Authorization` header of a backend service token with this subject, as a static token's
 * configured subject or a JWKS token's `external:<sub>` reaches the plugin.
 */
export function serviceAuthHeader(subject: string): string {
  return `Bearer mock-service-token:${JSON.stringify({ sub: subject })}`;
}
