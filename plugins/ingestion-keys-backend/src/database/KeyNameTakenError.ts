import { ConflictError } from '@backstage/errors';

/**
 * A reservation's name is held by another entity's key (e.g. one named under an earlier naming
 * pattern). The message tells only that the name is taken: the caller may not see that entity.
 */
export class KeyNameTakenError extends ConflictError {
  // Private, so that serializing the error (Backstage's error handler does) leaves it out.
  readonly #detail: string;

  constructor(name: string, detail: string) {
    super(
      `The name ${name} is already taken by an ingestion key you cannot see; an ingestion-keys admin can tell which`,
    );
    this.#detail = detail;
  }

  /** The same conflict naming the key that holds the name: for admins only. */
  get detail(): string {
    return this.#detail;
  }
}
