import { parseProvisionAnnotation } from './provisionAnnotation';

const environments = ['production', 'staging'];

describe('parseProvisionAnnotation', () => {
  it('parses entries with and without integration', () => {
    expect(
      parseProvisionAnnotation(
        'production:sensor, production:thirdParty:otel-collector,staging:rum',
        environments,
      ),
    ).toEqual({
      entries: [
        { environment: 'production', type: 'sensor' },
        {
          environment: 'production',
          type: 'thirdParty',
          integration: 'otel-collector',
        },
        { environment: 'staging', type: 'rum' },
      ],
      errors: [],
    });
  });

  it('reports invalid entries with their reason and keeps the valid ones', () => {
    const result = parseProvisionAnnotation(
      'production:sensor, moon:sensor, staging:apm, production, staging:rum:Bad_Name, a:b:c:d',
      environments,
    );
    expect(result.entries).toEqual([
      { environment: 'production', type: 'sensor' },
    ]);
    expect(result.errors).toEqual([
      {
        entry: 'moon:sensor',
        reason: expect.stringContaining('unknown environment "moon"'),
      },
      {
        entry: 'staging:apm',
        reason: expect.stringContaining('unknown type "apm"'),
      },
      {
        entry: 'production',
        reason: expect.stringContaining('expected <environment>:<type>'),
      },
      {
        entry: 'staging:rum:Bad_Name',
        reason: expect.stringContaining('integration "Bad_Name"'),
      },
      { entry: 'a:b:c:d', reason: expect.stringContaining('expected') },
    ]);
  });

  it('counts repeated entries once and ignores empty ones', () => {
    expect(
      parseProvisionAnnotation('staging:rum, ,staging:rum,', environments)
        .entries,
    ).toEqual([{ environment: 'staging', type: 'rum' }]);
  });
});
