import { mockCredentials } from '@backstage/backend-test-utils';
import { TEST_USERS } from './testCatalog';

/** Where the plugin's versioned API is mounted in a test backend. */
export const API_V1 = '/api/ingestion-keys/v1';

/** `Authorization` headers of the test users: alice owns checkout-api, carol is an admin. */
export const AUTH_AS = {
  alice: mockCredentials.user.header(TEST_USERS.alice),
  carol: mockCredentials.user.header(TEST_USERS.carol),
};
