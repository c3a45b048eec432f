export * from './KubernetesSecretsApiServer';
export {
  TEST_CA_CERTIFICATE,
  OTHER_TEST_CA_CERTIFICATE,
} from './testCertificates';
