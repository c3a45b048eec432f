import { CustomErrorBase } from '@backstage/errors';

/**
 * A key store failed in a way that retrying will not fix (a rejected API key, a misconfigured
 * backend, an upstream server error). Backstage's error handler answers it with 502 Bad Gateway
 * and its message, which must name the cause and never carry a secret.
 *
 * @public
 */
export class KeyStoreError extends CustomErrorBase {
  name = 'KeyStoreError' as const;
  readonly statusCode = 502;
}
