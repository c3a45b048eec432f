/**
 * Test helpers for key-store implementations.
 *
 * @packageDocumentation
 */
export * from './keyStoreContractTests';
