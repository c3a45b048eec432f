/**
 * Types, permissions and helpers shared by the ingestion-keys frontend and backend.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './deliveryTargets';
export * from './permissions';
export * from './keyName';
export * from './stableHash';
export * from './provisionAnnotation';
export * from './keyIdentity';
export * from './provisioner';
export * from './provisionedKeyRequest';
export * from './entityProvisioningStatus';
export * from './toUndesiredKey';
export * from './keyRotation';
export * from './emptyRunReport';
export * from './usageSnippets';
export * from './entityKeysTabPath';
export * from './provisioningProblemsOf';
