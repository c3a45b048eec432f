import { CustomErrorBase } from '@backstage/errors';

/**
 * A key store failed in a way that retrying will not fix (a rejected API key, a misconfigured
 * backend). The router answers 502 with the message, which must name the cause and never carry
 * a secret.
 */
export class KeyStoreError extends CustomErrorBase {
  name = 'KeyStoreError' as const;
}
