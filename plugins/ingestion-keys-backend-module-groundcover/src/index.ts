/**
 * The groundcover key store for the ingestion-keys backend.
 *
 * @packageDocumentation
 */
export { ingestionKeysModuleGroundcover as default } from './module';
export * from './GroundcoverKeyStore';
export * from './client';
