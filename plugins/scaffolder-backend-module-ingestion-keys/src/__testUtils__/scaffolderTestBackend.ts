import { Knex } from 'knex';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
// The real plugin the actions call over HTTP, as they do in a deployed backend (tests only).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ingestionKeysPlugin from '@ingestion-keys/plugin-ingestion-keys-backend';
import {
  LEDGER_API,
  startTestIngestionKeysBackend,
  TEST_ENTITIES,
  TEST_USERS,
} from 'test-backend';
import { IngestionKeysClient } from '../IngestionKeysClient';

/**
 * The real ingestion-keys plugin over HTTP (the shared test backend, in-memory key store), a
 * client that calls it as the scaffolder does, and a way to run an action in a mock task whose
 * log lines and outputs join the backend's output: `stop()` fails if a key value is in any.
 */
export async function startScaffolderTestBackend(knex: Knex) {
  const backend = await startTestIngestionKeysBackend({
    plugin: ingestionKeysPlugin,
    knex,
    keyStore: 'in-memory',
    entities: [...TEST_ENTITIES, LEDGER_API],
  });
  const port = (backend.server as any).port();
  const client = IngestionKeysClient.create({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async pluginId => `http://localhost:${port}/api/${pluginId}`,
    }),
    auth: mockServices.auth(),
  });
  const workspace = createMockDirectory();

  /** Runs `action` as `user` in a task; returns what the task was given as output. */
  async function runAction(
    action: TemplateAction<any, any, 'v2'>,
    input: JsonObject,
    user: keyof typeof TEST_USERS = 'alice',
    options: { isDryRun?: boolean } = {},
  ) {
    const context = createMockActionContext({
      input,
      workspacePath: workspace.path,
      logger: backend.output.rootLogger.child({ task: 'mock-task-id' }),
    });
    const outputs: Record<string, unknown> = {};
    try {
      await action.handler({
        ...context,
        ...options,
        output: (name: string, value: unknown) => {
          outputs[name] = value;
        },
        getInitiatorCredentials: async () =>
          mockCredentials.user(TEST_USERS[user]),
      } as any);
    } finally {
      backend.output.keep('scaffolder task output', outputs);
    }
    return outputs;
  }

  return { backend, client, workspace, runAction };
}
