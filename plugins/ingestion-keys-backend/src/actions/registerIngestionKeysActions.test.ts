import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { KEY_PLACEHOLDER } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  API_V1,
  AUTH_AS,
  LEDGER_API,
  TEST_ENTITIES,
  TEST_USERS,
} from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const CHECKOUT_API = 'component:default/checkout-api';
const SEARCH_API = 'component:default/search-api';
/** The MCP actions plugin names tools `<plugin id>.<action name>` by default. */
const TOOL_NAMES = [
  'ingestion-keys.create-ingestion-key',
  'ingestion-keys.get-ingestion-key-provisioning-status',
  'ingestion-keys.get-ingestion-key-snippets',
  'ingestion-keys.list-ingestion-keys',
];

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

describe.each(databases.eachSupportedId())(
  'MCP tools through the MCP actions plugin on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;
    let api: ReturnType<typeof request>;
    const clients: Client[] = [];

    beforeEach(async () => {
      backend = await startTestIngestionKeysBackend({
        knex: await databases.init(databaseId),
        entities: [...TEST_ENTITIES, LEDGER_API],
        features: [mcpActionsPlugin],
        rootConfig: {
          app: { baseUrl: 'https://portal.example.com' },
          backend: { actions: { pluginSources: ['ingestion-keys'] } },
        },
      });
      api = request(backend.server);
    });

    afterEach(async () => {
      await Promise.all(clients.splice(0).map(client => client.close()));
      // Fails if the value of any key the store issued is in a tool result (or a log line).
      await backend.stop();
    });

    /** A real MCP client over streamable HTTP, authenticated as `user`. */
    async function mcpClientAs(user: keyof typeof AUTH_AS) {
      const port = (backend.server as any).port();
      const client = new Client({ name: 'ingestion-keys-test', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(
          new URL(`http://localhost:${port}/api/mcp-actions/v1`),
          { requestInit: { headers: { Authorization: AUTH_AS[user] } } },
        ),
      );
      clients.push(client);
      return {
        listTools: () => client.listTools(),
        call: async (name: string, args: Record<string, unknown>) => {
          const result = await client.callTool({ name, arguments: args });
          backend.output.keep('MCP tool result', result);
          return result as ToolResult & {
            structuredContent?: any;
            content: Array<{ type: string; text: string }>;
          };
        },
      };
    }

    it('lists the four tools with honest hints, and no reveal, rotate or revoke', async () => {
      const alice = await mcpClientAs('alice');
      const { tools } = await alice.listTools();
      expect(tools.map(t => t.name).sort()).toEqual(TOOL_NAMES);
      const hints = Object.fromEntries(
        tools.map(t => [
          t.name,
          {
            readOnly: t.annotations?.readOnlyHint,
            destructive: t.annotations?.destructiveHint,
            idempotent: t.annotations?.idempotentHint,
          },
        ]),
      );
      const reads = { readOnly: true, destructive: false, idempotent: true };
      expect(hints).toEqual({
        'ingestion-keys.list-ingestion-keys': reads,
        'ingestion-keys.get-ingestion-key-snippets': reads,
        'ingestion-keys.get-ingestion-key-provisioning-status': reads,
        'ingestion-keys.create-ingestion-key': {
          readOnly: false,
          destructive: false,
          idempotent: true,
        },
      });
      const create = tools.find(
        t => t.name === 'ingestion-keys.create-ingestion-key',
      )!;
      expect(create.inputSchema.required?.sort()).toEqual([
        'entityRef',
        'environment',
        'type',
      ]);
    });

    it("creates a key on alice's entity once, and refuses another team's", async () => {
      const alice = await mcpClientAs('alice');
      const args = {
        entityRef: CHECKOUT_API,
        environment: 'staging',
        type: 'thirdParty',
        integration: 'otel-collector',
      };

      const first = await alice.call(
        'ingestion-keys.create-ingestion-key',
        args,
      );
      expect(first.isError).toBeFalsy();
      const { created, key, link } = first.structuredContent;
      expect(created).toBe(true);
      expect(key).toMatchObject({
        name: 'checkout-api-staging-thirdparty-otel-collector',
        entityRef: CHECKOUT_API,
        status: 'active',
        createdBy: TEST_USERS.alice,
      });
      expect(Object.keys(key)).not.toContain('secret');
      expect(link).toBe(
        'https://portal.example.com/catalog/default/component/checkout-api/ingestion-keys',
      );

      // Audited like the API's creates. Without a request the auditor names the plugin as the
      // actor, so the caller is in the event's meta.
      expect(
        backend.output.auditRecords.filter(
          r =>
            r.includes('key-create') &&
            r.includes('"via":"mcp-action"') &&
            r.includes(`"actor":"${TEST_USERS.alice}"`) &&
            r.includes('succeeded'),
        ),
      ).toHaveLength(1);

      // Asked again (a retry after a timeout): the same key, not a second one.
      const again = await alice.call(
        'ingestion-keys.create-ingestion-key',
        args,
      );
      expect(again.structuredContent).toMatchObject({
        created: false,
        key: { id: key.id },
      });
      // The audit tells the create that made the key from the one that found it.
      const outcomes = backend.output.auditRecords
        .filter(r => r.includes('key-create') && r.includes('succeeded'))
        .map(r => (r.includes('"created":true') ? 'made' : 'found'));
      expect(outcomes).toEqual(['made', 'found']);
      const listed = await api
        .get(`${API_V1}/keys`)
        .query({ entityRef: CHECKOUT_API })
        .set('Authorization', AUTH_AS.alice)
        .expect(200);
      expect(listed.body.items.map((k: { id: string }) => k.id)).toEqual([
        key.id,
      ]);

      // bob's team owns search-api: refused with the API's own words, and nothing made.
      const refused = await alice.call('ingestion-keys.create-ingestion-key', {
        ...args,
        entityRef: SEARCH_API,
      });
      expect(refused.isError).toBe(true);
      expect(refused.content[0].text).toBe(
        `NotAllowedError: You are not allowed to create ingestion keys of ${SEARCH_API}; ask one of its owners`,
      );
      const theirs = await api
        .get(`${API_V1}/keys`)
        .query({ entityRef: SEARCH_API })
        .set('Authorization', AUTH_AS.bob)
        .expect(200);
      expect(theirs.body.totalCount).toBe(0);

      // The value exists (its owner can reveal it over HTTP), and no result above held it.
      const revealed = await api
        .post(`${API_V1}/keys/${key.id}/reveal`)
        .set('Authorization', AUTH_AS.alice)
        .expect(200);
      expect(revealed.body.secret).toEqual(expect.any(String));
      expect(backend.issuedSecrets()).toContain(revealed.body.secret);
    });

    it('checks input as the HTTP API does', async () => {
      const alice = await mcpClientAs('alice');
      const result = await alice.call('ingestion-keys.create-ingestion-key', {
        entityRef: CHECKOUT_API,
        environment: 'qa',
        type: 'rum',
      });
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toBe(
        'InputError: environment "qa" is not configured; use one of production, staging',
      );
    });

    it('refuses a list offset beyond what the HTTP API allows, as an input error', async () => {
      const alice = await mcpClientAs('alice');
      const result = await alice.call('ingestion-keys.list-ingestion-keys', {
        entityRef: CHECKOUT_API,
        offset: 1e300,
      });
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toMatch(/^InputError: [\s\S]*"offset"/);
    });

    it('lists metadata and gives snippets with a placeholder to any reader', async () => {
      const created = await api
        .post(`${API_V1}/keys`)
        .set('Authorization', AUTH_AS.alice)
        .send({
          entityRef: CHECKOUT_API,
          environment: 'production',
          type: 'sensor',
        })
        .expect(201);
      const bob = await mcpClientAs('bob');

      const listed = await bob.call('ingestion-keys.list-ingestion-keys', {
        entityRef: CHECKOUT_API,
      });
      expect(listed.structuredContent).toMatchObject({
        totalCount: 1,
        items: [{ id: created.body.key.id, type: 'sensor' }],
      });

      const snippets = await bob.call(
        'ingestion-keys.get-ingestion-key-snippets',
        {
          keyId: created.body.key.id,
        },
      );
      const { structuredContent } = snippets;
      expect(structuredContent.placeholder).toBe(KEY_PLACEHOLDER);
      expect(structuredContent.snippets.map((s: any) => s.title)).toEqual([
        'Helm',
        'Helm values file',
        'Kubernetes Secret',
      ]);
      for (const snippet of structuredContent.snippets) {
        expect(snippet.text).toContain(KEY_PLACEHOLDER);
        expect(snippet.text).not.toContain(created.body.secret);
      }
    });

    it("reports an entity's declared keys as provisioning sees them", async () => {
      const alice = await mcpClientAs('alice');
      const status = await alice.call(
        'ingestion-keys.get-ingestion-key-provisioning-status',
        {
          entityRef: 'component:default/ledger-api',
        },
      );
      expect(status.structuredContent).toMatchObject({
        entityRef: 'component:default/ledger-api',
        entries: [
          { entry: 'production:sensor', state: 'pending' },
          { entry: 'staging:thirdParty:otel-collector', state: 'pending' },
        ],
        invalidEntries: [],
        undesired: [],
      });
      const unknown = await alice.call(
        'ingestion-keys.get-ingestion-key-provisioning-status',
        {
          entityRef: 'component:default/no-such-service',
        },
      );
      expect(unknown.isError).toBe(true);
      expect(unknown.content[0].text).toBe(
        'NotFoundError: No catalog entity component:default/no-such-service that you can see',
      );
    });
  },
);
