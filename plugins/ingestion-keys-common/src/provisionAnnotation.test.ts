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

  it('reads the delivery targets after "->", adding up those of a repeated entry', () => {
    expect(
      parseProvisionAnnotation(
        'production:sensor -> kubernetes:prod-eu/groundcover, staging:rum,' +
          ' production:sensor->external-secrets:prod-eu, production:sensor -> kubernetes:prod-eu/groundcover',
        environments,
      ),
    ).toEqual({
      entries: [
        {
          environment: 'production',
          type: 'sensor',
          targets: [
            'kubernetes:prod-eu/groundcover',
            'external-secrets:prod-eu',
          ],
        },
        { environment: 'staging', type: 'rum' },
      ],
      errors: [],
    });
  });

  it('refuses a target not written <kind>:<address>, or two after one entry', () => {
    const result = parseProvisionAnnotation(
      'production:sensor -> prod-eu, staging:sensor -> kubernetes:a -> kubernetes:b, staging:rum -> kubernetes:a b, production:rum -> :x',
      environments,
    );
    expect(result.entries).toEqual([]);
    expect(result.errors.map(e => [e.entry, e.reason])).toEqual([
      [
        'production:sensor -> prod-eu',
        expect.stringContaining('must be written <kind>:<address>'),
      ],
      [
        'staging:sensor -> kubernetes:a -> kubernetes:b',
        expect.stringContaining('write the entry again for another target'),
      ],
      [
        'staging:rum -> kubernetes:a b',
        expect.stringContaining('must be written <kind>:<address>'),
      ],
      [
        'production:rum -> :x',
        expect.stringContaining('must be written <kind>:<address>'),
      ],
    ]);
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

  it('takes an integration of 63 characters and reports a longer one', () => {
    const longest = 'a'.repeat(63);
    const tooLong = 'a'.repeat(64);
    const result = parseProvisionAnnotation(
      `production:thirdParty:${longest}, production:thirdParty:${tooLong}`,
      environments,
    );
    expect(result.entries).toEqual([
      { environment: 'production', type: 'thirdParty', integration: longest },
    ]);
    expect(result.errors).toEqual([
      {
        entry: `production:thirdParty:${tooLong}`,
        reason: 'integration is 64 characters long; at most 63 are allowed',
      },
    ]);
  });

  it('reads at most maxEntries entries and reports the first one beyond', () => {
    const result = parseProvisionAnnotation(
      'production:sensor, moon:sensor, production:sensor, staging:rum, staging:sensor',
      environments,
      { maxEntries: 3 },
    );
    expect(result.entries).toEqual([
      { environment: 'production', type: 'sensor' },
    ]);
    expect(result.errors).toEqual([
      { entry: 'moon:sensor', reason: expect.any(String) },
      {
        entry: 'staging:rum',
        reason:
          'an entity may declare at most 3 entries (ingestionKeys.provisioning.maxEntriesPerEntity); this one and those after it are ignored',
      },
    ]);
  });

  it('counts repeated entries once and ignores empty ones', () => {
    expect(
      parseProvisionAnnotation('staging:rum, ,staging:rum,', environments)
        .entries,
    ).toEqual([{ environment: 'staging', type: 'rum' }]);
  });
});
