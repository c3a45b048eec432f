/**
 * Test helpers for key-store implementations and for tests of the plugin and its modules.
 *
 * @packageDocumentation
 */
export * from './keyStoreContractTests';
export * from './InMemoryKeyStore';
export * from './keyStoreTestModule';
