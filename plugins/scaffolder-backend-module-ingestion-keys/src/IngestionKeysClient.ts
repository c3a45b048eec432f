import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ForwardedError, isError, ResponseError } from '@backstage/errors';
import {
  CreateKeyRequest,
  holdsKeyIdentity,
  IngestionKey,
  IngestionKeysSettings,
  keyIdentityOf,
  KeyListResponse,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** The key that stands for an identity, and whether this call made it. */
export interface EnsuredKey {
  key: IngestionKey;
  created: boolean;
}

/**
 * Calls the ingestion-keys backend's HTTP API on behalf of a task's initiator, so that the
 * plugin authorizes every call exactly as it does the user's own requests (catalog visibility,
 * ownership, `serviceAccess` for tasks started by a service). A create answers with the new
 * key's value; this client drops it at once and hands back metadata only.
 */
export class IngestionKeysClient {
  static create(options: { discovery: DiscoveryService; auth: AuthService }) {
    return new IngestionKeysClient(options.discovery, options.auth);
  }

  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** The environments, types and snippet endpoints the plugin is configured with. */
  async settings(
    credentials: BackstageCredentials,
  ): Promise<IngestionKeysSettings> {
    return this.call('/v1/settings', credentials);
  }

  /**
   * The live key of the request's identity, created when there is none: a task run twice, or
   * retried after a failure, finds the key it made before instead of a 409.
   */
  async ensureKey(
    request: CreateKeyRequest,
    credentials: BackstageCredentials,
  ): Promise<EnsuredKey> {
    const existing = await this.liveKeyFor(request, credentials);
    if (existing) {
      return { key: existing, created: false };
    }
    try {
      const { key } = await this.call<{ key: IngestionKey; secret: string }>(
        '/v1/keys',
        credentials,
        { method: 'POST', body: JSON.stringify(request) },
      );
      return { key, created: true };
    } catch (error) {
      // Another request made the key meanwhile (the API answers 409): that key is the answer.
      const raced =
        isError(error) && error.name === 'ConflictError'
          ? await this.liveKeyFor(request, credentials)
          : undefined;
      if (raced) {
        return { key: raced, created: false };
      }
      throw error;
    }
  }

  private async liveKeyFor(
    request: CreateKeyRequest,
    credentials: BackstageCredentials,
  ): Promise<IngestionKey | undefined> {
    const query = new URLSearchParams({
      entityRef: request.entityRef,
      environment: request.environment,
      type: request.type,
    });
    const { items } = await this.call<KeyListResponse>(
      `/v1/keys?${query}`,
      credentials,
    );
    // The list is the entity's already; the ref is taken from the keys, which hold it in full
    // form, since a template may write it short (`component:checkout-api`).
    const sameIdentity = (key: IngestionKey) =>
      keyIdentityOf(key) ===
      keyIdentityOf({ ...request, entityRef: key.entityRef });
    // A rotated key waits to be revoked; its active successor stands for the identity.
    return items.find(
      key =>
        key.status !== 'rotating' && holdsKeyIdentity(key) && sameIdentity(key),
    );
  }

  private async call<T>(
    path: string,
    credentials: BackstageCredentials,
    init: { method?: string; body?: string } = {},
  ): Promise<T> {
    const [baseUrl, { token }] = await Promise.all([
      this.discovery.getBaseUrl('ingestion-keys'),
      this.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'ingestion-keys',
      }),
    ]);
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      },
    });
    if (!response.ok) {
      // The task log shows the API's own words (which owner to ask, which field is wrong), under
      // the name of its error class.
      const { cause } = await ResponseError.fromResponse(response);
      throw new ForwardedError(
        `The ingestion-keys API answered ${response.status}`,
        cause,
      );
    }
    return (await response.json()) as T;
  }
}
