import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  entityKeysTabPath,
  INGESTION_KEY_TYPES,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { IngestionKeysClient } from '../IngestionKeysClient';

/**
 * `ingestion-keys:create`: makes an ingestion key for an entity as the task's user, or finds
 * the one that already stands for that entity, environment, type and integration. Its output
 * (id, name, link to the entity's tab) and its log never hold the key's value: task output and
 * logs are readable by more people than the key's owners, who reveal it on the tab.
 */
export function createIngestionKeyAction(options: {
  client: IngestionKeysClient;
  /** `app.baseUrl`, for the link to the entity's tab. */
  appBaseUrl: string;
}) {
  const { client } = options;
  const appBaseUrl = options.appBaseUrl.replace(/\/+$/, '');
  return createTemplateAction({
    id: 'ingestion-keys:create',
    description:
      "Creates a groundcover ingestion key for a catalog entity as the task's user (or returns the existing live key of that identity). Never outputs the key's value.",
    examples: [
      {
        description: 'An OpenTelemetry Collector key for production',
        example: [
          'steps:',
          '  - id: otel-key',
          '    action: ingestion-keys:create',
          '    input:',
          '      entityRef: component:default/checkout-api',
          '      environment: production',
          '      type: thirdParty',
          '      integration: otel-collector',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe('The entity, e.g. component:default/checkout-api'),
        environment: z =>
          z.string().describe('One of the configured environments'),
        type: z =>
          z.enum(INGESTION_KEY_TYPES).describe('sensor, rum or thirdParty'),
        integration: z =>
          z
            .string()
            .optional()
            .describe('What sends with the key, e.g. otel-collector'),
        remoteConfig: z =>
          z
            .boolean()
            .optional()
            .describe('Sensor keys only: may read remote configuration'),
      },
      output: {
        keyId: z => z.string(),
        keyName: z => z.string(),
        status: z => z.string(),
        created: z =>
          z.boolean().describe('false when the key existed already'),
        link: z => z.string().describe("The entity's Ingestion Keys tab"),
      },
    },
    async handler(ctx) {
      const { entityRef, environment, type, integration, remoteConfig } =
        ctx.input;
      const { key, created } = await client.ensureKey(
        {
          entityRef,
          environment,
          type,
          ...(integration ? { integration } : {}),
          ...(remoteConfig !== undefined ? { remoteConfig } : {}),
        },
        await ctx.getInitiatorCredentials(),
      );
      ctx.logger.info(
        created
          ? `Created ingestion key ${key.name} for ${key.entityRef}; its owners reveal the value on the entity's Ingestion Keys tab`
          : `Ingestion key ${key.name} for ${key.entityRef} exists already (${key.status}); nothing was created`,
      );
      ctx.output('keyId', key.id);
      ctx.output('keyName', key.name);
      ctx.output('status', key.status);
      ctx.output('created', created);
      ctx.output('link', `${appBaseUrl}${entityKeysTabPath(key.entityRef)}`);
    },
  });
}
