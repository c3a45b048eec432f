/**
 * The ingestion-keys backend plugin in a test backend, shared by the plugin's own tests and the
 * integration tests: real HTTP, a real database, catalog and permission doubles that follow
 * ownership, and a check at stop that no secret showed up in the output.
 *
 * @packageDocumentation
 */
export * from './CapturedOutput';
export * from './ownershipPermissions';
export * from './startTestIngestionKeysBackend';
export * from './testCallers';
export * from './testCatalog';
export * from './waitUntil';
