import { TestDatabases } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mockCredentials } from '@backstage/backend-test-utils';
import { startAuthorizationTestBackend } from './__testUtils__/startAuthorizationTestBackend';
import {
  CHECKOUT_API,
  component,
  HIDDEN_API,
  TEAM_PLATFORM,
  USERS,
} from './__testUtils__/testOrganisation';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const SEARCH_API = 'component:default/search-api';

/**
 * The MCP tools as the demo deploys them: the MCP actions backend in front, the real catalog and
 * permission backends deciding with the demo policy behind, and the caller's identity carried
 * on behalf of the user from the MCP endpoint to the plugin and on to the catalog.
 */
describe.each(databases.eachSupportedId())(
  'MCP tools under the demo policy on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startAuthorizationTestBackend>>;
    const clients: Client[] = [];

    beforeAll(async () => {
      backend = await startAuthorizationTestBackend(databases, databaseId, {
        features: [mcpActionsPlugin],
        rootConfig: {
          backend: { actions: { pluginSources: ['ingestion-keys'] } },
        },
      });
      await backend.putEntities([component('search-api', TEAM_PLATFORM)]);
    });

    afterAll(async () => {
      await Promise.all(clients.map(client => client.close()));
      await backend.stop();
    });

    async function mcpClientAs(user: keyof typeof USERS) {
      const client = new Client({ name: 'demo-policy-test', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(
          new URL(
            `http://localhost:${(
              backend.server as any
            ).port()}/api/mcp-actions/v1`,
          ),
          {
            requestInit: {
              headers: {
                Authorization: mockCredentials.user.header(USERS[user]),
              },
            },
          },
        ),
      );
      clients.push(client);
      return async (entityRef: string) =>
        (await client.callTool({
          name: 'ingestion-keys.create-ingestion-key',
          arguments: { entityRef, environment: 'staging', type: 'rum' },
        })) as {
          isError?: boolean;
          structuredContent?: any;
          content: Array<{ text: string }>;
        };
    }

    it("lets alice create on her team's entity and refuses bob, another team's and a hidden one", async () => {
      const aliceCreates = await mcpClientAs('alice');
      const made = await aliceCreates(CHECKOUT_API);
      expect(made.isError).toBeFalsy();
      expect(made.structuredContent).toMatchObject({
        created: true,
        key: { entityRef: CHECKOUT_API, createdBy: USERS.alice },
      });
      expect(JSON.stringify(made)).not.toMatch(/ikbs_/);

      expect((await aliceCreates(SEARCH_API)).content[0].text).toBe(
        `NotAllowedError: You are not allowed to create ingestion keys of ${SEARCH_API}; ask one of its owners`,
      );
      // Hidden from non-admins by the policy: answered like an entity that does not exist.
      expect((await aliceCreates(HIDDEN_API)).content[0].text).toBe(
        `NotFoundError: No catalog entity ${HIDDEN_API} that you can see`,
      );
      const bobCreates = await mcpClientAs('bob');
      expect((await bobCreates(CHECKOUT_API)).content[0].text).toBe(
        `NotAllowedError: You are not allowed to create ingestion keys of ${CHECKOUT_API}; ask one of its owners`,
      );
      // carol is an admin: allowed everywhere.
      const carolCreates = await mcpClientAs('carol');
      expect((await carolCreates(SEARCH_API)).structuredContent).toMatchObject({
        created: true,
        key: { entityRef: SEARCH_API, createdBy: USERS.carol },
      });
    });
  },
);
