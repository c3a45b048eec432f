import { buildExternalSecretManifests } from './buildExternalSecretManifests';

describe('buildExternalSecretManifests', () => {
  const manifests = buildExternalSecretManifests({
    backendBaseUrl: 'https://backstage.example.com/',
    store: 'prod-eu',
    keyName: 'checkout-api-production-sensor',
  });

  it('points the webhook store at the portal with the pull token and reads $.value', () => {
    expect(manifests.secretStore).toBe(`apiVersion: v1
kind: Secret
metadata:
  name: ingestion-keys-pull-token
  labels:
    external-secrets.io/type: webhook
stringData:
  token: "<pull token of the store prod-eu>"
---
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: ingestion-keys
spec:
  provider:
    webhook:
      url: "https://backstage.example.com/api/ingestion-keys/v1/external-secrets/prod-eu/{{ .remoteRef.key }}"
      method: GET
      headers:
        Authorization: "Bearer {{ print .auth.token }}"
      result:
        jsonPath: "$.value"
      secrets:
        - name: auth
          secretRef:
            name: ingestion-keys-pull-token
`);
  });

  it('asks for the key by its name and makes the api-key Secret hourly', () => {
    expect(manifests.externalSecret).toBe(`apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: "checkout-api-production-sensor"
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: SecretStore
    name: ingestion-keys
  target:
    name: api-key
  data:
    - secretKey: API_KEY
      remoteRef:
        key: "checkout-api-production-sensor"
`);
  });

  it('keeps a store name with URL characters in one path segment', () => {
    expect(
      buildExternalSecretManifests({
        backendBaseUrl: 'https://backstage.example.com',
        store: 'a b/c',
        keyName: 'k',
      }).secretStore,
    ).toContain('/v1/external-secrets/a%20b%2Fc/{{ .remoteRef.key }}"');
  });
});
