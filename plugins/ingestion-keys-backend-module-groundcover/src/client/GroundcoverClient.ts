import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  INGESTION_KEY_TYPES,
  IngestionKeyType,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  KeyStoreBusyError,
  KeyStoreError,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import {
  errorFromResponse,
  GROUNDCOVER_RETRY_AFTER_SECONDS,
} from './errorFromResponse';
import {
  GroundcoverCreateKeyRequest,
  GroundcoverKey,
  GroundcoverListFilter,
} from './types';

/** @public */
export interface GroundcoverClientOptions {
  /** For example `https://api.groundcover.com`; a path prefix (a proxy) is kept. */
  baseUrl: string;
  /** Service-account API key, sent as a Bearer token. */
  apiKey: string;
  /** The backend the keys belong to, sent as `X-Backend-Id`. */
  backendId: string;
  /** Time allowed for each HTTP call, body included. Default 10000. */
  timeoutMs?: number;
  /** How many times list is retried after a 429, a 503 or a broken connection. Default 3. */
  listRetries?: number;
  /** Upper bound of the first retry's random delay; it doubles per retry. Default 200. */
  retryDelayMs?: number;
}

type Operation = 'create' | 'list' | 'delete';

const ROUTES: Record<Operation, { method: string; path: string }> = {
  create: { method: 'POST', path: '/api/rbac/ingestion-keys/create' },
  list: { method: 'POST', path: '/api/rbac/ingestion-keys/list' },
  delete: { method: 'DELETE', path: '/api/rbac/ingestion-keys/delete' },
};

type Exchange =
  | { outcome: 'answered'; status: number; body: string }
  | { outcome: 'timeout' | 'connection-failed'; error: Error };

const MALFORMED =
  'groundcover answered with an ingestion key this portal does not understand';

function isKeyType(value: unknown): value is IngestionKeyType {
  return (INGESTION_KEY_TYPES as readonly unknown[]).includes(value);
}

/** Undefined for a key of a type the contract does not know, which the portal cannot manage. */
function parseKey(value: unknown): GroundcoverKey | undefined {
  const raw = value as Record<string, unknown> | null;
  const tags = raw?.tags ?? [];
  if (
    typeof raw?.id !== 'string' ||
    typeof raw.name !== 'string' ||
    typeof raw.key !== 'string' ||
    !Array.isArray(tags) ||
    !tags.every(tag => typeof tag === 'string')
  ) {
    throw new KeyStoreError(MALFORMED);
  }
  if (!isKeyType(raw.type)) {
    return undefined;
  }
  return {
    id: raw.id,
    name: raw.name,
    key: raw.key,
    type: raw.type,
    remoteConfig: raw.remoteConfig === true,
    tags,
    createdBy: typeof raw.createdBy === 'string' ? raw.createdBy : undefined,
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new KeyStoreError(MALFORMED);
  }
}

function causeOf(error: unknown) {
  return (error as { cause?: { message?: unknown; code?: unknown } })?.cause;
}

function describeConnectionFailure(error: unknown): string {
  const cause = causeOf(error);
  if (typeof cause?.message === 'string' && cause.message) {
    return cause.message;
  }
  if (typeof cause?.code === 'string') {
    return cause.code;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The HTTP client of groundcover's ingestion-key routes. Only list is retried: create and
 * delete are not idempotent, so an uncertain outcome is left to the caller to resolve.
 *
 * @public
 */
export class GroundcoverClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly backendId: string;
  private readonly timeoutMs: number;
  private readonly listRetries: number;
  private readonly retryDelayMs: number;

  static create(options: GroundcoverClientOptions): GroundcoverClient {
    return new GroundcoverClient(options);
  }

  private constructor(options: GroundcoverClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.backendId = options.backendId;
    this.timeoutMs = options.timeoutMs ?? 10000;
    this.listRetries = options.listRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** Creates a key; a 409 (name taken) becomes a `ConflictError`. */
  async create(request: GroundcoverCreateKeyRequest): Promise<GroundcoverKey> {
    const exchange = await this.exchange('create', request);
    const body = this.successBody(exchange);
    const key = parseKey(parseJson(body));
    if (!key) {
      throw new KeyStoreError(MALFORMED);
    }
    return key;
  }

  /** Every key matching the filter, secrets included: treat the result as secret material. */
  async list(filter: GroundcoverListFilter = {}): Promise<GroundcoverKey[]> {
    for (let attempt = 0; ; attempt++) {
      const exchange = await this.exchange('list', filter);
      if (attempt < this.listRetries && this.isRetryable(exchange)) {
        await sleep(Math.random() * this.retryDelayMs * 2 ** attempt);
        continue;
      }
      const parsed = parseJson(this.successBody(exchange));
      if (!Array.isArray(parsed)) {
        throw new KeyStoreError(MALFORMED);
      }
      return parsed
        .map(parseKey)
        .filter((key): key is GroundcoverKey => key !== undefined);
    }
  }

  /** Deletes a key by name; a key that is already gone (404) counts as deleted. */
  async delete(name: string): Promise<void> {
    const exchange = await this.exchange('delete', { name });
    if (exchange.outcome === 'answered' && exchange.status === 404) {
      return;
    }
    this.successBody(exchange);
  }

  // A call that used up its whole timeout is not retried: that would multiply the caller's wait.
  private isRetryable(exchange: Exchange): boolean {
    if (exchange.outcome === 'answered') {
      return exchange.status === 429 || exchange.status === 503;
    }
    return exchange.outcome === 'connection-failed';
  }

  private successBody(exchange: Exchange): string {
    if (exchange.outcome !== 'answered') {
      throw exchange.error;
    }
    if (exchange.status < 200 || exchange.status > 299) {
      throw errorFromResponse({
        status: exchange.status,
        body: exchange.body,
        backendId: this.backendId,
        apiKey: this.apiKey,
      });
    }
    return exchange.body;
  }

  private async exchange(
    operation: Operation,
    body: unknown,
  ): Promise<Exchange> {
    const { method, path } = ROUTES[operation];
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.apiKey}`,
          'X-Backend-Id': this.backendId,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Reading the body stays under the same timeout signal.
      return {
        outcome: 'answered',
        status: response.status,
        body: await response.text(),
      };
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') {
        return {
          outcome: 'timeout',
          error: new ServiceUnavailableError(
            `groundcover did not answer within ${this.timeoutMs} ms`,
          ),
        };
      }
      const message = `the connection to groundcover failed: ${describeConnectionFailure(
        error,
      )}`;
      return {
        outcome: 'connection-failed',
        // A refused connection sent nothing, so nothing can have been committed.
        error:
          causeOf(error)?.code === 'ECONNREFUSED'
            ? new KeyStoreBusyError(message, GROUNDCOVER_RETRY_AFTER_SECONDS)
            : new ServiceUnavailableError(message),
      };
    }
  }
}
