import { ConflictError } from '@backstage/errors';

/**
 * The key store's key of a record's name is not the key recorded (another id, or not this
 * identity's tags): someone deleted the portal's key there and made one of the same name. Its
 * value is never revealed and it is never deleted on the portal's behalf.
 */
export class KeyReplacedError extends ConflictError {
  constructor(name: string, provider: string, action: string) {
    super(
      `Key ${name} was replaced outside the portal: the ${provider} key store's key of that name is not the one recorded here, so it cannot be ${action}`,
    );
  }
}
