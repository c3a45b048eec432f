import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';

/** A key as the backend answers it, for tests that play the server over HTTP. */
export const keyResponse: IngestionKey = {
  id: 'k1',
  name: 'checkout-api-production-sensor',
  entityRef: 'component:default/checkout-api',
  environment: 'production',
  type: 'sensor',
  remoteConfig: true,
  status: 'active',
  origin: 'manual',
  provider: 'embedded',
  createdBy: 'user:default/alice',
  createdAt: '2026-01-01T00:00:00.000Z',
};
