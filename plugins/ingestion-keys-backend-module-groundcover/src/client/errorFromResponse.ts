import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  KeyStoreBusyError,
  KeyStoreError,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { GroundcoverServerError } from './GroundcoverServerError';

const MAX_MESSAGE_LENGTH = 300;

/** How long a caller turned away by groundcover (429, or no connection at all) should wait. */
export const GROUNDCOVER_RETRY_AFTER_SECONDS = 5;

export interface ErrorFromResponseOptions {
  status: number;
  body: string;
  backendId: string;
  /** Removed from groundcover's message should it ever echo the API key back. */
  apiKey: string;
}

function messageOf(options: ErrorFromResponseOptions): string {
  let message = options.body.trim();
  try {
    const parsed = JSON.parse(options.body);
    if (typeof parsed?.message === 'string') {
      message = parsed.message;
    }
  } catch {
    // Not JSON: gateways in front of groundcover answer with plain text or HTML.
  }
  message = message.split(options.apiKey).join('[redacted]');
  if (message.length > MAX_MESSAGE_LENGTH) {
    message = `${message.slice(0, MAX_MESSAGE_LENGTH)}…`;
  }
  return message || 'no message';
}

/** The error a failed groundcover response stands for, its message naming the cause. */
export function errorFromResponse(options: ErrorFromResponseOptions): Error {
  const { status, backendId } = options;
  const message = messageOf(options);
  if (status === 401) {
    return new KeyStoreError('groundcover rejected the API key');
  }
  if (status === 400 && message.includes('inCloud backends')) {
    return new KeyStoreError(
      `groundcover backend ${backendId} is not an inCloud backend; ingestion keys can only be managed on inCloud (BYOC) backends`,
    );
  }
  if (status === 400) {
    // Callers' input is validated before it gets here, so a 400 is a request this portal built
    // wrongly: an upstream failure (502) that names groundcover's reason, not the caller's fault.
    return new KeyStoreError(`groundcover rejected the request: ${message}`);
  }
  if (status === 409) {
    return new ConflictError(`groundcover answered 409: ${message}`);
  }
  if (status === 429) {
    // groundcover turns a rate-limited request away before acting on it.
    return new KeyStoreBusyError(
      'groundcover is rate limiting requests',
      GROUNDCOVER_RETRY_AFTER_SECONDS,
    );
  }
  if (status === 503) {
    return new ServiceUnavailableError(
      `groundcover is temporarily unavailable (503: ${message})`,
    );
  }
  if (status >= 500) {
    return new GroundcoverServerError(
      status,
      `groundcover answered ${status}: ${message}`,
    );
  }
  return new KeyStoreError(`groundcover answered ${status}: ${message}`);
}
