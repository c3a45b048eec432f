import { IngestionKeyType, SnippetSettings } from './types';

/**
 * Stands in for the secret until the key is revealed, and wherever a snippet leaves the key's
 * owners (MCP results, scaffolder output): those never carry the value.
 *
 * @public
 */
export const KEY_PLACEHOLDER = '<INGESTION_KEY>';

/**
 * One way of handing a key to its sender.
 *
 * @public
 */
export interface UsageSnippet {
  /** The sender or the form, e.g. "Helm". */
  title: string;
  /** The snippet, with the key or the placeholder in it. */
  text: string;
}

/**
 * What the snippets of a key are made from.
 *
 * @public
 */
export interface UsageSnippetOptions {
  /** The key's type, which decides its senders. */
  type: IngestionKeyType;
  /** The revealed secret; the placeholder is shown without it. */
  secret?: string;
  /** The key's environment, where a sender names it (RUM). */
  environment: string;
  /** Names the sender where a snippet needs one (the RUM app id): the entity's name. */
  appName: string;
  /** Where senders send to (`ingestionKeys.snippets`). */
  endpoints: SnippetSettings;
}

type SnippetBuilder = (
  key: string,
  options: UsageSnippetOptions,
) => UsageSnippet[];

function sensorSnippets(key: string): UsageSnippet[] {
  return [
    {
      title: 'Helm',
      text: [
        'helm upgrade --install groundcover groundcover/groundcover \\',
        `  --set global.groundcover_token=${key},clusterId=<cluster-name>`,
      ].join('\n'),
    },
    {
      title: 'Helm values file',
      text: [
        '# helm upgrade --install groundcover groundcover/groundcover -f values.yaml',
        'global:',
        `  groundcover_token: ${key}`,
        'clusterId: <cluster-name>',
      ].join('\n'),
    },
    {
      title: 'Kubernetes Secret',
      text: [
        '# The Secret the groundcover chart reads the key from.',
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: api-key',
        '  namespace: groundcover',
        'type: Opaque',
        'stringData:',
        `  API_KEY: ${key}`,
      ].join('\n'),
    },
  ];
}

function thirdPartySnippets(
  key: string,
  { endpoints }: UsageSnippetOptions,
): UsageSnippet[] {
  const otlp = new URL(endpoints.otlpEndpoint);
  const snippets: UsageSnippet[] = [
    {
      title: 'OpenTelemetry Collector',
      text: [
        'exporters:',
        '  otlphttp/groundcover:',
        `    endpoint: ${endpoints.otlpEndpoint}`,
        '    headers:',
        `      apikey: ${key}`,
        '',
        'service:',
        '  pipelines:',
        '    traces:',
        '      exporters: [otlphttp/groundcover]',
        '    metrics:',
        '      exporters: [otlphttp/groundcover]',
        '    logs:',
        '      exporters: [otlphttp/groundcover]',
      ].join('\n'),
    },
    {
      title: 'Fluent Bit',
      text: [
        '[OUTPUT]',
        '    Name        opentelemetry',
        '    Match       *',
        `    Host        ${otlp.hostname}`,
        `    Port        ${
          otlp.port || (otlp.protocol === 'http:' ? 80 : 443)
        }`,
        '    Logs_uri    /v1/logs',
        `    Tls         ${otlp.protocol === 'https:' ? 'On' : 'Off'}`,
        `    Header      apikey ${key}`,
      ].join('\n'),
    },
  ];
  if (endpoints.firehoseEndpoint) {
    snippets.push({
      title: 'Amazon Data Firehose (HTTP endpoint destination)',
      text: [
        `HTTP endpoint URL: ${endpoints.firehoseEndpoint}`,
        `Access key:        ${key}`,
      ].join('\n'),
    });
  }
  return snippets;
}

function rumSnippets(
  key: string,
  options: UsageSnippetOptions,
): UsageSnippet[] {
  return [
    {
      title: 'Browser (@groundcover/browser)',
      text: [
        "import { init } from '@groundcover/browser';",
        '',
        'init({',
        "  cluster: '<cluster-name>',",
        `  environment: '${options.environment}',`,
        `  appId: '${options.appName}',`,
        `  dsn: '${options.endpoints.rumDsn}',`,
        `  apiKey: '${key}',`,
        '});',
      ].join('\n'),
    },
  ];
}

const SNIPPETS_BY_TYPE: Record<IngestionKeyType, SnippetBuilder> = {
  sensor: sensorSnippets,
  thirdParty: thirdPartySnippets,
  rum: rumSnippets,
};

/**
 * How each kind of data sender presents an ingestion key (groundcover's documented ways), with
 * the key and the configured endpoints filled in.
 *
 * @public
 */
export function buildUsageSnippets(
  options: UsageSnippetOptions,
): UsageSnippet[] {
  return SNIPPETS_BY_TYPE[options.type](
    options.secret ?? KEY_PLACEHOLDER,
    options,
  );
}
