import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AddDeliveryTargetRequest,
  CreateKeyRequest,
  DeliveryTargetKindsResponse,
  DeliveryTargetListResponse,
  EntityProvisioningStatus,
  EventListResponse,
  IngestionKey,
  IngestionKeySecret,
  IngestionKeysSettings,
  IngestionKeyWithSecret,
  KeyDeliveryTarget,
  KeyListResponse,
  KeyListQuery,
  OwnedProvisioningProblems,
  ProvisioningStatusResponse,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { IngestionKeysApi, ProvisioningRunTriggered } from './IngestionKeysApi';

/**
 * HTTP client of the ingestion-keys backend. Secrets only ever travel in response bodies of POST
 * requests: nothing secret is put in a URL, where proxies and browser history would keep it.
 *
 * @public
 */
export class IngestionKeysClient implements IngestionKeysApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getSettings(): Promise<IngestionKeysSettings> {
    return this.request('/v1/settings');
  }

  listKeys(query: KeyListQuery): Promise<KeyListResponse> {
    return this.request(`/v1/keys${toSearch(query)}`);
  }

  listMyTeamsKeys(query: KeyListQuery): Promise<KeyListResponse> {
    return this.request(`/v1/my/keys${toSearch(query)}`);
  }

  createKey(request: CreateKeyRequest): Promise<IngestionKeyWithSecret> {
    return this.request('/v1/keys', { method: 'POST', body: request });
  }

  revealKey(id: string): Promise<IngestionKeySecret> {
    return this.request(`/v1/keys/${encodeURIComponent(id)}/reveal`, {
      method: 'POST',
    });
  }

  rotateKey(id: string): Promise<IngestionKeyWithSecret> {
    return this.request(`/v1/keys/${encodeURIComponent(id)}/rotate`, {
      method: 'POST',
    });
  }

  revokeKey(id: string): Promise<IngestionKey> {
    return this.request(`/v1/keys/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
  }

  listKeyEvents(id: string): Promise<EventListResponse> {
    return this.request(`/v1/keys/${encodeURIComponent(id)}/events`);
  }

  listEntityEvents(entityRef: string): Promise<EventListResponse> {
    return this.request(`/v1/events${toSearch({ entityRef })}`);
  }

  getEntityProvisioningStatus(
    entityRef: string,
  ): Promise<EntityProvisioningStatus> {
    return this.request(`/v1/provisioning/status${toSearch({ entityRef })}`);
  }

  getMyTeamsProvisioningProblems(): Promise<OwnedProvisioningProblems> {
    return this.request('/v1/my/provisioning/problems');
  }

  getProvisioningStatus(): Promise<ProvisioningStatusResponse> {
    return this.request('/v1/provisioning/status');
  }

  triggerProvisioningRun(): Promise<ProvisioningRunTriggered> {
    return this.request('/v1/provisioning/run', { method: 'POST' });
  }

  listDeliveryTargetKinds(): Promise<DeliveryTargetKindsResponse> {
    return this.request('/v1/delivery/kinds');
  }

  listDeliveryTargets(entityRef: string): Promise<DeliveryTargetListResponse> {
    return this.request(`/v1/targets${toSearch({ entityRef })}`);
  }

  addDeliveryTarget(
    keyId: string,
    request: AddDeliveryTargetRequest,
  ): Promise<KeyDeliveryTarget> {
    return this.request(`/v1/keys/${encodeURIComponent(keyId)}/targets`, {
      method: 'POST',
      body: request,
    });
  }

  deliverToTarget(targetId: string): Promise<KeyDeliveryTarget> {
    return this.request(`/v1/targets/${encodeURIComponent(targetId)}/deliver`, {
      method: 'POST',
    });
  }

  async removeDeliveryTarget(targetId: string): Promise<void> {
    await this.request(`/v1/targets/${encodeURIComponent(targetId)}`, {
      method: 'DELETE',
    });
  }

  listFailedDeliveries(): Promise<DeliveryTargetListResponse> {
    return this.request('/v1/targets/failed');
  }

  private async request<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('ingestion-keys');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: options.method ?? 'GET',
      ...(options.body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(options.body),
          }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    // 204 No Content (a removal) has no body to parse.
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }
}

function toSearch(query: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(name, String(value));
    }
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}
