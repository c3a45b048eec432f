import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { IngestionKeyStore } from './IngestionKeyStore';
import { IngestionKeyDeliveryProvider } from './IngestionKeyDeliveryProvider';

/**
 * Lets backend modules add key stores; `ingestionKeys.provider` picks the one in use.
 *
 * @public
 */
export interface IngestionKeyStoresExtensionPoint {
  addKeyStore(store: IngestionKeyStore): void;
}

/** @public */
export const ingestionKeyStoresExtensionPoint =
  createExtensionPoint<IngestionKeyStoresExtensionPoint>({
    id: 'ingestion-keys.key-stores',
  });

/**
 * Lets backend modules add kinds of delivery target, such as Kubernetes Secrets.
 *
 * @public
 */
export interface IngestionKeyDeliveryProvidersExtensionPoint {
  addDeliveryProvider(provider: IngestionKeyDeliveryProvider): void;
}

/** @public */
export const ingestionKeyDeliveryProvidersExtensionPoint =
  createExtensionPoint<IngestionKeyDeliveryProvidersExtensionPoint>({
    id: 'ingestion-keys.delivery-providers',
  });
