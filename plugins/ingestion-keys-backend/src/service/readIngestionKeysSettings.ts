import { Config } from '@backstage/config';
import {
  DEFAULT_NAMING_PATTERN,
  INGESTION_KEY_TYPES,
  IngestionKeysSettings,
  validateNamingPattern,
} from '@ingestion-keys/plugin-ingestion-keys-common';

const ENVIRONMENT = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Reads and checks the `ingestionKeys` settings the API and the UI share. */
export function readIngestionKeysSettings(
  config: Config,
): IngestionKeysSettings {
  const root = config.getOptionalConfig('ingestionKeys');
  const environments = root?.getOptionalStringArray('environments') ?? [
    'production',
    'staging',
  ];
  if (environments.length === 0) {
    throw new Error(
      'ingestionKeys.environments must list at least one environment, such as production',
    );
  }
  const invalid = environments.find(
    env => !ENVIRONMENT.test(env) || env.length > 63,
  );
  if (invalid !== undefined) {
    throw new Error(
      `ingestionKeys.environments must list environments of lowercase letters, digits and hyphens, at most 63 characters; "${invalid}" is not one`,
    );
  }
  const namingPattern =
    root?.getOptionalString('naming.pattern') ?? DEFAULT_NAMING_PATTERN;
  const patternProblem = validateNamingPattern(namingPattern);
  if (patternProblem) {
    throw new Error(`ingestionKeys.naming.pattern: ${patternProblem}`);
  }
  const firehoseEndpoint = root?.getOptionalString('snippets.firehoseEndpoint');
  return {
    environments,
    types: [...INGESTION_KEY_TYPES],
    provider: root?.getOptionalString('provider') ?? 'embedded',
    namingPattern,
    snippets: {
      otlpEndpoint:
        root?.getOptionalString('snippets.otlpEndpoint') ??
        'https://otlp.example.groundcover.com',
      rumDsn:
        root?.getOptionalString('snippets.rumDsn') ??
        'https://rum.example.groundcover.com',
      ...(firehoseEndpoint ? { firehoseEndpoint } : {}),
    },
  };
}
