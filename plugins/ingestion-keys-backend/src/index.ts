/**
 * The ingestion-keys backend plugin.
 *
 * @packageDocumentation
 */
export { ingestionKeysPlugin as default } from './plugin';
