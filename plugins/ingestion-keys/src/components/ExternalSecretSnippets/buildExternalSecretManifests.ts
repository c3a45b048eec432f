/** The Secret holding the token External Secrets sends to the portal. */
export const PULL_TOKEN_SECRET = 'ingestion-keys-pull-token';

/** The SecretStore the snippets name; one per namespace serves every key of a store. */
const SECRET_STORE = 'ingestion-keys';

export interface ExternalSecretManifests {
  /** The token Secret and the SecretStore: once per namespace. */
  secretStore: string;
  /** The ExternalSecret that makes the `api-key` Secret from the key: once per key. */
  externalSecret: string;
}

/**
 * The manifests that let External Secrets Operator pull a key from the portal with its webhook
 * provider: the store's URL ends with the key's name (`remoteRef.key`), and the portal answers
 * `{ "value": … }` to a request bearing the store's pull token. Values are written as YAML
 * double-quoted strings (JSON's quoting), so any name or URL stays one scalar.
 */
export function buildExternalSecretManifests(options: {
  /** The Backstage backend's base URL, e.g. `https://backstage.example.com`. */
  backendBaseUrl: string;
  store: string;
  keyName: string;
}): ExternalSecretManifests {
  const base = options.backendBaseUrl.replace(/\/+$/, '');
  const url = `${base}/api/ingestion-keys/v1/external-secrets/${encodeURIComponent(
    options.store,
  )}/{{ .remoteRef.key }}`;
  const quote = (value: string) => JSON.stringify(value);
  const secretStore = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${PULL_TOKEN_SECRET}`,
    '  labels:',
    // External Secrets only lets a webhook store read Secrets labelled for it.
    '    external-secrets.io/type: webhook',
    'stringData:',
    `  token: ${quote(`<pull token of the store ${options.store}>`)}`,
    '---',
    'apiVersion: external-secrets.io/v1',
    'kind: SecretStore',
    'metadata:',
    `  name: ${SECRET_STORE}`,
    'spec:',
    '  provider:',
    '    webhook:',
    `      url: ${quote(url)}`,
    '      method: GET',
    '      headers:',
    `        Authorization: ${quote('Bearer {{ print .auth.token }}')}`,
    '      result:',
    `        jsonPath: ${quote('$.value')}`,
    '      secrets:',
    '        - name: auth',
    '          secretRef:',
    `            name: ${PULL_TOKEN_SECRET}`,
    '',
  ].join('\n');
  const externalSecret = [
    'apiVersion: external-secrets.io/v1',
    'kind: ExternalSecret',
    'metadata:',
    `  name: ${quote(options.keyName)}`,
    'spec:',
    '  refreshInterval: 1h',
    '  secretStoreRef:',
    '    kind: SecretStore',
    `    name: ${SECRET_STORE}`,
    '  target:',
    '    name: api-key',
    '  data:',
    '    - secretKey: API_KEY',
    '      remoteRef:',
    `        key: ${quote(options.keyName)}`,
    '',
  ].join('\n');
  return { secretStore, externalSecret };
}
