import {
  IngestionKeyType,
  SnippetSettings,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** Stands in for the secret until the key is revealed. */
export const KEY_PLACEHOLDER = '<INGESTION_KEY>';

export interface UsageSnippet {
  title: string;
  text: string;
}

export interface UsageSnippetOptions {
  type: IngestionKeyType;
  /** The revealed secret; the placeholder is shown without it. */
  secret?: string;
  environment: string;
  /** Names the sender where a snippet needs one (the RUM app id): the entity's name. */
  appName: string;
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
 */
export function buildUsageSnippets(
  options: UsageSnippetOptions,
): UsageSnippet[] {
  return SNIPPETS_BY_TYPE[options.type](
    options.secret ?? KEY_PLACEHOLDER,
    options,
  );
}
