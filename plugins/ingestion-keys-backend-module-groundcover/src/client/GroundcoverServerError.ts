import { KeyStoreError } from '@ingestion-keys/plugin-ingestion-keys-node';

/**
 * groundcover answered with a 5xx other than 503. It stays a `KeyStoreError` (from `@ingestion-keys/plugin-ingestion-keys-node`) for the
 * router, but a create that ends this way may still have been committed, so the store needs to
 * tell it apart from failures that certainly changed nothing.
 *
 * @public
 */
export class GroundcoverServerError extends KeyStoreError {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
