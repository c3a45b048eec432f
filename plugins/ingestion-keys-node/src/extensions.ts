import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { IngestionKeyStore } from './IngestionKeyStore';

/** Lets backend modules add key stores; `ingestionKeys.provider` picks the one in use. */
export interface IngestionKeyStoresExtensionPoint {
  addKeyStore(store: IngestionKeyStore): void;
}

export const ingestionKeyStoresExtensionPoint =
  createExtensionPoint<IngestionKeyStoresExtensionPoint>({
    id: 'ingestion-keys.key-stores',
  });
