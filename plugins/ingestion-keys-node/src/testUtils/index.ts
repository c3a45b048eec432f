/**
 * Test helpers for key-store implementations and for tests of the plugin and its modules.
 *
 * @packageDocumentation
 */
export * from './keyStoreContractTests';
export * from './InMemoryKeyStore';
export * from './keyStoreTestModule';
export * from './InMemoryDeliveryProvider';
export * from './deliveryProviderTestModule';
// The in-memory store's API is made of these; a test importing only testUtils can name them.
export type {
  CreateStoredKeyRequest,
  IngestionKeyStore,
  StoredKey,
  StoredKeySummary,
  StoredKeyTags,
} from '../IngestionKeyStore';
export type {
  DeliveredKey,
  IngestionKeyDeliveryProvider,
  KeyDeliveryReceipt,
  KeyDeliveryRequest,
} from '../IngestionKeyDeliveryProvider';
