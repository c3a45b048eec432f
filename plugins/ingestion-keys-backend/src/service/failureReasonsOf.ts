import { isError } from '@backstage/errors';
import { KeyNameTakenError } from '../database/KeyNameTakenError';
import { LiveKeyLimitError } from './LiveKeyLimitError';

const ASK_AN_ADMIN = 'an ingestion-keys admin can see the details';

/** What an entity's readers are told of a failure, by its kind: never the failure's own words. */
function readerReasonOf(error: unknown): string {
  const name = isError(error) ? error.name : '';
  if (name === 'ConflictError') {
    return `a key of the same name exists that is not this entry's; ${ASK_AN_ADMIN}`;
  }
  if (name === 'ServiceUnavailableError') {
    return `the key store is unavailable; a later run tries again (${ASK_AN_ADMIN})`;
  }
  return `the key store or the database failed; ${ASK_AN_ADMIN}`;
}

/**
 * Why provisioning failed, in full for admins (`reason`), and, when that says more than the
 * entity's readers may know (upstream error bodies, other entities' keys), what they are told
 * (`readerReason`). Only the portal's own refusals of an entry are told to readers as they are.
 */
export function failureReasonsOf(error: unknown): {
  reason: string;
  readerReason?: string;
} {
  if (error instanceof KeyNameTakenError) {
    return { reason: error.detail, readerReason: error.message };
  }
  if (
    error instanceof LiveKeyLimitError ||
    (isError(error) && error.name === 'InputError')
  ) {
    return { reason: error.message };
  }
  return {
    reason: isError(error) ? error.message : String(error),
    readerReason: readerReasonOf(error),
  };
}
