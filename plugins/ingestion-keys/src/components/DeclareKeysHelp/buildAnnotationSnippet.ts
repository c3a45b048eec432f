import { PROVISION_ANNOTATION } from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * An example of the provisioning annotation for the configured environments, as it goes into an
 * entity's catalog file: a sensor in every environment, and an OpenTelemetry collector's key in
 * the first one.
 */
export function buildAnnotationSnippet(
  environments: readonly string[],
): string {
  const [first = 'production'] = environments;
  const sensors = (environments.length ? environments : [first]).map(
    environment => `${environment}:sensor`,
  );
  const entries = [
    sensors[0],
    `${first}:thirdParty:otel-collector`,
    ...sensors.slice(1),
  ];
  return [
    'metadata:',
    '  annotations:',
    `    ${PROVISION_ANNOTATION}: '${entries.join(', ')}'`,
    '',
  ].join('\n');
}
