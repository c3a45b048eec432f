/**
 * Scaffolder actions that create and declare ingestion keys as the task's user.
 *
 * @packageDocumentation
 */
export { scaffolderModuleIngestionKeys as default } from './module';
