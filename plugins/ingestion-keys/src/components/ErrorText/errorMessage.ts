import { ResponseError } from '@backstage/errors';

/**
 * What to tell a person about an error. For backend errors this is the server's own message
 * ("The key … already exists"), not the generic "Request failed with 409".
 */
export function errorMessage(error: Error): string {
  return error instanceof ResponseError ? error.cause.message : error.message;
}
