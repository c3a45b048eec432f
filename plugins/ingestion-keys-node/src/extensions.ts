import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { IngestionKeyStore } from './IngestionKeyStore';

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
