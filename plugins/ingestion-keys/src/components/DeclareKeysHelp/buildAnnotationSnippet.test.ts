import { parseProvisionAnnotation } from '@ingestion-keys/plugin-ingestion-keys-common';
import { buildAnnotationSnippet } from './buildAnnotationSnippet';

describe('buildAnnotationSnippet', () => {
  it('declares a sensor per configured environment and a collector key in the first', () => {
    expect(buildAnnotationSnippet(['production', 'staging', 'dev'])).toBe(
      `metadata:
  annotations:
    ingestion-keys/provision: 'production:sensor, production:thirdParty:otel-collector, staging:sensor, dev:sensor'
`,
    );
  });

  it('writes only entries the backend accepts', () => {
    const snippet = buildAnnotationSnippet(['eu-prod', 'qa']);
    const value = /provision: '(.*)'/.exec(snippet)![1];
    expect(parseProvisionAnnotation(value, ['eu-prod', 'qa'])).toEqual({
      entries: [
        { environment: 'eu-prod', type: 'sensor' },
        {
          environment: 'eu-prod',
          type: 'thirdParty',
          integration: 'otel-collector',
        },
        { environment: 'qa', type: 'sensor' },
      ],
      errors: [],
    });
  });

  it('falls back to production when no environment is configured', () => {
    expect(buildAnnotationSnippet([])).toContain(
      "'production:sensor, production:thirdParty:otel-collector'",
    );
  });
});
