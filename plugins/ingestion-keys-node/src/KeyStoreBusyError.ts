import { ServiceUnavailableError } from '@backstage/errors';

/**
 * A key store turned a request away before acting on it (it rate limits, or could not be reached
 * at all): unlike other `ServiceUnavailableError`s the outcome is certain, nothing changed, so
 * the caller need not look for a key it may have made, and should wait `retryAfterSeconds` before
 * asking again. The router answers it with 503 and a `Retry-After` header.
 *
 * @public
 */
export class KeyStoreBusyError extends ServiceUnavailableError {
  /** How long to wait before asking the key store again. */
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
