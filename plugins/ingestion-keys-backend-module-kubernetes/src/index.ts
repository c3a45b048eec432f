/**
 * Delivers ingestion keys' values into Kubernetes Secrets, for the ingestion-keys backend.
 *
 * @packageDocumentation
 */
export { ingestionKeysModuleKubernetes as default } from './module';
export * from './KubernetesClusterSettings';
export * from './KubernetesDeliveryProvider';
