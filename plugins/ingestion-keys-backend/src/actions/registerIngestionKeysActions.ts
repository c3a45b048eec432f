import { AuditorService } from '@backstage/backend-plugin-api';
import {
  ActionsRegistryActionOptions,
  ActionsRegistryService,
} from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  buildUsageSnippets,
  entityKeysTabPath,
  INGESTION_KEY_STATUSES,
  INGESTION_KEY_TYPES,
  ingestionKeyCreatePermission,
  ingestionKeyReadPermission,
  KEY_PLACEHOLDER,
  ownerRefOf,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { keyAuditMeta, runAudited } from '../audit/runAudited';
import { ProvisioningService } from '../provisioning/ProvisioningService';
import { actorOf } from '../router/actorOf';
import { EntityAccessControl } from '../router/EntityAccessControl';
import {
  createKeyBody,
  entityRef,
  keyIdParams,
  MAX_LIST_OFFSET,
  parseInput,
} from '../router/requestSchemas';
import { IngestionKeysService } from '../service/IngestionKeysService';

export interface IngestionKeysActionsOptions {
  actionsRegistry: ActionsRegistryService;
  service: IngestionKeysService;
  provisioning: ProvisioningService;
  access: EntityAccessControl;
  auditor: AuditorService;
  /** `app.baseUrl`: results link to the entity's tab, where owners reveal a key. */
  appBaseUrl: string;
}

/** Said in every result that is about a key: where its value is, since it is never here. */
const WHERE_THE_VALUE_IS =
  "The key's value is never returned by these tools. Its owners reveal it on the entity's Ingestion Keys tab (link).";

/** The zod the actions registry hands to schemas (its own copy, `zod/v3`). */
type Zod = Parameters<
  ActionsRegistryActionOptions<any, any>['schema']['input']
>[0];

/*
 * Output schemas list every field a result may hold. The actions registry parses each result
 * with its schema, which drops any other field, so no secret could pass even by mistake.
 */
const keyMetadata = (zod: Zod) =>
  zod.object({
    id: zod.string(),
    name: zod.string(),
    entityRef: zod.string(),
    environment: zod.string(),
    type: zod.enum(INGESTION_KEY_TYPES),
    integration: zod.string().optional(),
    remoteConfig: zod.boolean(),
    status: zod.enum(INGESTION_KEY_STATUSES),
    origin: zod.string(),
    ownerRef: zod.string().optional(),
    createdBy: zod.string(),
    createdAt: zod.string(),
    replacesId: zod.string().optional(),
    replacedById: zod.string().optional(),
    revokedBy: zod.string().optional(),
    revokedAt: zod.string().optional(),
    undesiredSince: zod.string().optional(),
    undesiredReason: zod.string().optional(),
    replacedOutsideAt: zod.string().optional(),
  });

const entityRefInput = (zod: Zod) =>
  zod.string().describe('The entity, e.g. component:default/checkout-api');

const problem = (zod: Zod) =>
  zod.object({ entry: zod.string(), reason: zod.string() });

/**
 * The plugin's MCP tools (through `@backstage/plugin-mcp-actions-backend`), registered with the
 * actions registry. Each acts with the caller's credentials through the same access control as
 * the HTTP API: the entity is read from the catalog as the caller, then the permission is
 * authorized on it. None returns a key's value: tool results reach the assistant, its model
 * provider and its transcripts. That is also why there is no reveal, rotate or revoke tool:
 * reveal exists to hand out the value, rotate answers with the successor's value, and revoke
 * stops every sender using the key, which an assistant should not do on a guess.
 */
export function registerIngestionKeysActions(
  options: IngestionKeysActionsOptions,
): void {
  const { actionsRegistry, service, provisioning, access, auditor } = options;
  const tabUrl = (ref: string) =>
    `${options.appBaseUrl.replace(/\/+$/, '')}${entityKeysTabPath(ref)}`;

  actionsRegistry.register({
    name: 'list-ingestion-keys',
    title: "List an entity's ingestion keys",
    description: [
      'Lists the groundcover ingestion keys of one catalog entity (metadata only: name, id, environment, type, integration, status, who created it and when).',
      'Revoked keys are left out unless includeRevoked is true.',
      WHERE_THE_VALUE_IS,
    ].join(' '),
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: zod =>
        zod.object({
          entityRef: entityRefInput(zod),
          environment: zod.string().optional(),
          type: zod.enum(INGESTION_KEY_TYPES).optional(),
          status: zod.enum(INGESTION_KEY_STATUSES).optional(),
          includeRevoked: zod.boolean().optional(),
          limit: zod.number().int().min(1).max(200).optional(),
          offset: zod.number().int().min(0).max(MAX_LIST_OFFSET).optional(),
        }),
      output: zod =>
        zod.object({
          items: zod.array(keyMetadata(zod)),
          totalCount: zod.number(),
          link: zod.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = parseInput(entityRef, input.entityRef, 'input');
      await access.authorizeEntity(
        credentials,
        ingestionKeyReadPermission,
        ref,
      );
      const { items, totalCount } = await service.listKeys({
        ...input,
        entityRef: ref,
        limit: input.limit ?? 50,
      });
      return { output: { items, totalCount, link: tabUrl(ref) } };
    },
  });

  actionsRegistry.register({
    name: 'create-ingestion-key',
    title: 'Create an ingestion key',
    description: [
      'Creates a groundcover ingestion key for a catalog entity you own, named by the portal from the entity, environment, type and integration.',
      'Idempotent: when the entity already has a live key for that environment, type and integration, that key is returned (created: false) and no second key is made.',
      'Types: sensor (groundcover sensors; remoteConfig lets them read remote configuration), rum (browser), thirdParty (OpenTelemetry, Fluent Bit, Firehose; give an integration such as otel-collector).',
      WHERE_THE_VALUE_IS,
    ].join(' '),
    attributes: { readOnly: false, destructive: false, idempotent: true },
    examples: [
      {
        title: 'An OpenTelemetry Collector key for staging',
        input: {
          entityRef: 'component:default/checkout-api',
          environment: 'staging',
          type: 'thirdParty',
          integration: 'otel-collector',
        },
      },
    ],
    schema: {
      input: zod =>
        zod.object({
          entityRef: entityRefInput(zod),
          environment: zod
            .string()
            .describe('One of the configured environments, e.g. production'),
          type: zod.enum(INGESTION_KEY_TYPES),
          integration: zod
            .string()
            .optional()
            .describe(
              'What sends with the key, e.g. otel-collector (lowercase, digits, hyphens)',
            ),
          remoteConfig: zod
            .boolean()
            .optional()
            .describe('Sensor keys only: may read remote configuration'),
        }),
      output: zod =>
        zod.object({
          created: zod.boolean(),
          key: keyMetadata(zod),
          link: zod.string(),
          note: zod.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const request = parseInput(createKeyBody, input, 'input');
      const entity = await access.authorizeEntity(
        credentials,
        ingestionKeyCreatePermission,
        request.entityRef,
      );
      const actor = actorOf(credentials);
      const { key, created } = await runAudited(
        auditor,
        {
          eventId: 'key-create',
          severityLevel: 'medium',
          meta: {
            entityRef: request.entityRef,
            environment: request.environment,
            type: request.type,
            actor,
            via: 'mcp-action',
          },
        },
        () =>
          service.ensureKey(request, {
            actor,
            ownerRef: ownerRefOf(entity),
          }),
        // Whether this call made the key or found it made before.
        ensured => ({ created: ensured.created, ...keyAuditMeta(ensured.key) }),
      );
      return {
        output: {
          created,
          key,
          link: tabUrl(key.entityRef),
          note: WHERE_THE_VALUE_IS,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-ingestion-key-snippets',
    title: 'Usage snippets for an ingestion key',
    description: [
      'How to configure the sender of an ingestion key (Helm, Kubernetes Secret, OpenTelemetry Collector, Fluent Bit, Firehose, browser RUM), with the configured endpoints filled in.',
      `The key's value appears as the placeholder ${KEY_PLACEHOLDER}; replace it with the value its owners reveal on the entity's tab.`,
    ].join(' '),
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: zod =>
        zod.object({
          keyId: zod
            .string()
            .describe('The id of the key (list-ingestion-keys shows it)'),
        }),
      output: zod =>
        zod.object({
          keyId: zod.string(),
          keyName: zod.string(),
          type: zod.enum(INGESTION_KEY_TYPES),
          environment: zod.string(),
          placeholder: zod.string(),
          snippets: zod.array(
            zod.object({
              title: zod.string(),
              text: zod.string(),
            }),
          ),
          link: zod.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const { id } = parseInput(keyIdParams, { id: input.keyId }, 'input');
      const record = await service.getKey(id);
      await access.authorizeKeyEntity(
        credentials,
        ingestionKeyReadPermission,
        record,
      );
      return {
        output: {
          keyId: record.id,
          keyName: record.name,
          type: record.type,
          environment: record.environment,
          placeholder: KEY_PLACEHOLDER,
          snippets: buildUsageSnippets({
            type: record.type,
            environment: record.environment,
            appName: parseEntityRef(record.entityRef).name,
            endpoints: service.settings.snippets,
          }),
          link: tabUrl(record.entityRef),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-ingestion-key-provisioning-status',
    title: "An entity's key provisioning status",
    description: [
      'Where each key an entity declares in its ingestion-keys/provision annotation stands: provisioned, pending or failed (with the reason), plus invalid entries and provisioned keys no entry asks for any more (undesired).',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: zod =>
        zod.object({
          entityRef: entityRefInput(zod),
        }),
      output: zod =>
        zod.object({
          entityRef: zod.string(),
          annotation: zod.string().optional(),
          entries: zod.array(
            zod.object({
              entry: zod.string(),
              environment: zod.string(),
              type: zod.enum(INGESTION_KEY_TYPES),
              integration: zod.string().optional(),
              state: zod.enum(['provisioned', 'pending', 'failed']),
              keyId: zod.string().optional(),
              keyName: zod.string().optional(),
              reason: zod.string().optional(),
            }),
          ),
          invalidEntries: zod.array(problem(zod)),
          undesired: zod.array(
            zod.object({
              keyId: zod.string(),
              keyName: zod.string(),
              reason: zod.string(),
              since: zod.string(),
            }),
          ),
          link: zod.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = parseInput(entityRef, input.entityRef, 'input');
      const entity = await access.authorizeEntity(
        credentials,
        ingestionKeyReadPermission,
        ref,
      );
      const status = await provisioning.entityStatus(entity, {
        detailed: await access.isAdmin(credentials),
      });
      return { output: { ...status, link: tabUrl(ref) } };
    },
  });
}
