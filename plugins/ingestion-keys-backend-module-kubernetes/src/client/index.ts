export * from './KubernetesApiError';
export * from './KubernetesSecretsClient';
