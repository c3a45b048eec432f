/**
 * Extension points and interfaces for modules of the ingestion-keys backend.
 *
 * @packageDocumentation
 */
export * from './IngestionKeyDeliveryProvider';
export * from './IngestionKeyStore';
export * from './KeyStoreBusyError';
export * from './KeyStoreError';
export * from './extensions';
