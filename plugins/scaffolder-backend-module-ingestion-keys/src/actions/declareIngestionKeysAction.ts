import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  formatProvisionEntry,
  parseProvisionAnnotation,
  PROVISION_ANNOTATION,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import fs from 'node:fs/promises';
import { isMap, parseAllDocuments } from 'yaml';
import { IngestionKeysClient } from '../IngestionKeysClient';

/**
 * `ingestion-keys:declare`: adds entries to the `ingestion-keys/provision` annotation of an
 * entity in a catalog file the task is writing, so that provisioning makes the keys once the
 * entity is registered. Entries are checked against the environments the plugin is configured
 * with (asked of its API as the task's user); entries already declared are kept as they are.
 */
export function declareIngestionKeysAction(options: {
  client: IngestionKeysClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'ingestion-keys:declare',
    description: `Adds entries (<environment>:<type>[:<integration>]) to the ${PROVISION_ANNOTATION} annotation of an entity in a catalog file in the workspace.`,
    supportsDryRun: true,
    examples: [
      {
        description: 'Declare a sensor key and an OpenTelemetry key',
        example: [
          'steps:',
          '  - id: declare-keys',
          '    action: ingestion-keys:declare',
          '    input:',
          '      entries: [production:sensor, staging:thirdParty:otel-collector]',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        entries: z =>
          z
            .array(z.string())
            .min(1)
            .describe('Entries such as production:sensor'),
        filePath: z =>
          z
            .string()
            .optional()
            .describe('The catalog file in the workspace (catalog-info.yaml)'),
        entityName: z =>
          z
            .string()
            .optional()
            .describe(
              'Which entity of the file, when it holds several (metadata.name)',
            ),
      },
      output: {
        annotation: z => z.string().describe("The annotation's new value"),
        added: z => z.array(z.string()).describe('Entries not declared before'),
      },
    },
    async handler(ctx) {
      const { environments } = await client.settings(
        await ctx.getInitiatorCredentials(),
      );
      const wanted = parseProvisionAnnotation(
        ctx.input.entries.join(','),
        environments,
      );
      if (wanted.errors.length > 0) {
        throw new InputError(
          `Invalid entries: ${wanted.errors
            .map(e => `${e.entry} (${e.reason})`)
            .join('; ')}`,
        );
      }

      const path = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.filePath ?? 'catalog-info.yaml',
      );
      const documents = parseAllDocuments(await fs.readFile(path, 'utf8'));
      const document = documents.find(
        d =>
          isMap(d.get('metadata')) &&
          (ctx.input.entityName === undefined ||
            d.getIn(['metadata', 'name']) === ctx.input.entityName),
      );
      if (!document) {
        throw new InputError(
          `No entity${
            ctx.input.entityName ? ` named ${ctx.input.entityName}` : ''
          } in ${ctx.input.filePath ?? 'catalog-info.yaml'}`,
        );
      }

      const current = String(
        document.getIn(['metadata', 'annotations', PROVISION_ANNOTATION]) ?? '',
      );
      // What is declared already, valid or not, stays as written; only new entries are added.
      const declared = new Set(
        parseProvisionAnnotation(current, environments).entries.map(
          formatProvisionEntry,
        ),
      );
      const added = wanted.entries
        .map(formatProvisionEntry)
        .filter(entry => !declared.has(entry));
      const annotation = [
        ...current
          .split(',')
          .map(e => e.trim())
          .filter(Boolean),
        ...added,
      ].join(', ');

      document.setIn(
        ['metadata', 'annotations', PROVISION_ANNOTATION],
        annotation,
      );
      if (!ctx.isDryRun) {
        await fs.writeFile(
          path,
          documents.map(d => d.toString()).join(''),
          'utf8',
        );
      }
      ctx.logger.info(
        added.length > 0
          ? `Declared ${added.join(', ')} in ${PROVISION_ANNOTATION}`
          : `Every entry was declared already`,
      );
      ctx.output('annotation', annotation);
      ctx.output('added', added);
    },
  });
}
