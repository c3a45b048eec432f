import { buildUsageSnippets, KEY_PLACEHOLDER } from './usageSnippets';

const endpoints = {
  otlpEndpoint: 'https://otlp.acme.groundcover.com',
  rumDsn: 'https://rum.acme.groundcover.com',
};
const base = {
  environment: 'production',
  appName: 'storefront-web',
  endpoints,
};

function text(options: Parameters<typeof buildUsageSnippets>[0]) {
  return Object.fromEntries(
    buildUsageSnippets(options).map(s => [s.title, s.text]),
  );
}

describe('buildUsageSnippets', () => {
  it('gives sensors the helm command, a values file and the Kubernetes Secret', () => {
    const snippets = text({ ...base, type: 'sensor', secret: 'gcik_abc' });
    expect(snippets.Helm).toContain(
      'helm upgrade --install groundcover groundcover/groundcover',
    );
    expect(snippets.Helm).toContain(
      '--set global.groundcover_token=gcik_abc,clusterId=<cluster-name>',
    );
    expect(snippets['Helm values file']).toContain(
      'global:\n  groundcover_token: gcik_abc',
    );
    expect(snippets['Kubernetes Secret']).toContain('name: api-key');
    expect(snippets['Kubernetes Secret']).toContain('API_KEY: gcik_abc');
  });

  it('gives third-party pushers the OpenTelemetry exporter and the Fluent Bit output', () => {
    const snippets = text({ ...base, type: 'thirdParty', secret: 'gcik_abc' });
    expect(snippets['OpenTelemetry Collector']).toContain(
      [
        '  otlphttp/groundcover:',
        '    endpoint: https://otlp.acme.groundcover.com',
        '    headers:',
        '      apikey: gcik_abc',
      ].join('\n'),
    );
    expect(snippets['Fluent Bit']).toMatch(
      /Host\s+otlp\.acme\.groundcover\.com\n\s+Port\s+443/,
    );
    expect(snippets['Fluent Bit']).toMatch(/Header\s+apikey gcik_abc/);
    expect(Object.keys(snippets)).toHaveLength(2);
  });

  it('adds the Firehose destination when its endpoint is configured', () => {
    const snippets = text({
      ...base,
      type: 'thirdParty',
      endpoints: { ...endpoints, firehoseEndpoint: 'https://fh.acme.com' },
    });
    const firehose = Object.entries(snippets).find(([title]) =>
      title.includes('Firehose'),
    )?.[1];
    expect(firehose).toContain('HTTP endpoint URL: https://fh.acme.com');
    expect(firehose).toMatch(/Access key:\s+<INGESTION_KEY>/);
  });

  it('gives RUM keys the browser init call', () => {
    const [snippet] = buildUsageSnippets({
      ...base,
      type: 'rum',
      secret: 'gcik_abc',
    });
    expect(snippet.text).toContain(
      "import { init } from '@groundcover/browser';",
    );
    expect(snippet.text).toContain("environment: 'production'");
    expect(snippet.text).toContain("appId: 'storefront-web'");
    expect(snippet.text).toContain("dsn: 'https://rum.acme.groundcover.com'");
    expect(snippet.text).toContain("apiKey: 'gcik_abc'");
    expect(snippet.text).toContain("cluster: '<cluster-name>'");
  });

  it('shows a placeholder until the key is revealed', () => {
    for (const type of ['sensor', 'thirdParty', 'rum'] as const) {
      for (const snippet of buildUsageSnippets({ ...base, type })) {
        expect(snippet.text).toContain(KEY_PLACEHOLDER);
      }
    }
  });
});
