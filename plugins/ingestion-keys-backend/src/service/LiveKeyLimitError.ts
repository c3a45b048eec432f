import { ConflictError } from '@backstage/errors';

/** An entity has as many live keys as `ingestionKeys.maxLiveKeysPerEntity` allows. */
export class LiveKeyLimitError extends ConflictError {
  constructor(entityRef: string, limit: number) {
    super(
      `${entityRef} already has ${limit} live ingestion keys, the most ingestionKeys.maxLiveKeysPerEntity allows; revoke one first`,
    );
  }
}
