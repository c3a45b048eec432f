import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import ingestionKeysPlugin from '@ingestion-keys/plugin-ingestion-keys-backend';
import kubernetesModule from '@ingestion-keys/plugin-ingestion-keys-backend-module-kubernetes';
import { KubernetesSecretsApiServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-kubernetes/testUtils';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';
import { PROVISIONER } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  API_V1,
  AUTH_AS,
  LEDGER_API,
  startTestIngestionKeysBackend,
  TEST_ENTITIES,
} from 'test-backend';
import { startGroundcoverTestKeyStore } from './__testUtils__/startGroundcoverTestKeyStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const DAY = 24 * 60 * 60_000;
const LEDGER = 'component:default/ledger-api';

/** ledger-api declares its production sensor key, delivered to the Secret the Helm chart reads. */
const LEDGER_DELIVERED: typeof LEDGER_API = {
  ...LEDGER_API,
  metadata: {
    ...LEDGER_API.metadata,
    annotations: {
      'ingestion-keys/provision':
        'production:sensor -> kubernetes:demo/groundcover',
    },
  },
};

/**
 * The whole loop on real parts: the real groundcover client against its contract server keeps
 * the keys, the real Kubernetes module writes Secrets over TLS to the Secrets API stand-in, and
 * the plugin provisions a declared key, delivers it, rotates it past its age and revokes the old
 * key once the successor is in the Secret and the grace period is over. Each backend checks at
 * stop that no key value, API key or service-account token showed up in its output.
 */
describe.each(databases.eachSupportedId())(
  'delivery to Kubernetes on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestIngestionKeysBackend>>;
    let api: ReturnType<typeof request>;
    let groundcover: GroundcoverContractServer;
    let cluster: KubernetesSecretsApiServer;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      cluster = await KubernetesSecretsApiServer.start({
        token: 'demo-service-account-token',
        namespaces: ['groundcover'],
      });
      const { server, keyStore } = await startGroundcoverTestKeyStore();
      groundcover = server;
      backend = await startTestIngestionKeysBackend({
        plugin: ingestionKeysPlugin,
        knex,
        keyStore: {
          ...keyStore,
          features: [...keyStore.features, kubernetesModule],
          credentials: [...keyStore.credentials, cluster.token],
        },
        entities: [...TEST_ENTITIES, LEDGER_DELIVERED],
        config: {
          kubernetes: {
            clusters: [
              {
                name: 'demo',
                url: cluster.url,
                caData: cluster.caData,
                serviceAccountToken: cluster.token,
                timeout: { seconds: 5 },
              },
            ],
          },
          rotation: {
            automatic: true,
            maxAge: [{ environment: 'production', after: { days: 30 } }],
            revokeAfterDelivery: { minutes: 10 },
          },
        },
      });
      api = request(backend.server);
    });
    afterEach(async () => {
      await backend.stop();
      await cluster.stop();
    });

    const asAdmin = (req: request.Test) =>
      req.set('Authorization', AUTH_AS.carol);
    const run = async (what: 'provisioning' | 'delivery') =>
      asAdmin(api.post(`${API_V1}/${what}/run`)).expect(202);
    const ledgerKeys = async () =>
      (
        await asAdmin(
          api
            .get(`${API_V1}/keys`)
            .query({ entityRef: LEDGER, includeRevoked: true }),
        ).expect(200)
      ).body.items as Array<{
        id: string;
        name: string;
        status: string;
        revokedBy?: string;
      }>;
    const secretValue = async (id: string) =>
      (await asAdmin(api.post(`${API_V1}/keys/${id}/reveal`)).expect(200)).body
        .secret as string;
    const apiKeySecret = () => cluster.readSecretData('groundcover', 'api-key');
    /** Time passes for the key's age and for the grace period, without waiting. */
    const age = (column: string, table: string, ms: number) =>
      knex(table).update({ [column]: new Date(Date.now() - ms) });

    it('provisions, delivers, rotates past its age and finishes the rotation by itself', async () => {
      await run('provisioning');
      await run('delivery');
      const [first] = await ledgerKeys();
      expect(apiKeySecret()).toEqual({ API_KEY: await secretValue(first.id) });
      const written = cluster.getSecret('groundcover', 'api-key')!;
      expect(written.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'ingestion-keys-backstage',
      });
      expect(written.metadata.annotations).toMatchObject({
        'ingestion-keys.backstage.io/portal': 'backstage',
        'ingestion-keys.backstage.io/key-name': first.name,
      });

      // Past its maximum age, the delivered key is rotated and its successor written in its place.
      await age('created_at', 'ingestion_keys', 31 * DAY);
      await run('delivery');
      const [successor, old] = await ledgerKeys();
      expect([old.id, old.status]).toEqual([first.id, 'rotating']);
      expect(apiKeySecret()).toEqual({
        API_KEY: await secretValue(successor.id),
      });

      // The grace period starts when the Secret got the successor.
      await run('delivery');
      expect((await ledgerKeys())[1].status).toBe('rotating');
      await age('current_since', 'ingestion_key_targets', 11 * 60_000);
      await run('delivery');
      const [, revoked] = await ledgerKeys();
      expect(revoked).toMatchObject({
        status: 'revoked',
        revokedBy: PROVISIONER,
      });
      expect(groundcover.keys().map(k => k.name)).toEqual([successor.name]);
    });

    it('never revokes the old key while the cluster is down, and finishes once it is back', async () => {
      await run('provisioning');
      await run('delivery');
      const [first] = await ledgerKeys();

      await cluster.stop();
      await age('created_at', 'ingestion_keys', 31 * DAY);
      await run('delivery');
      const [successor] = await ledgerKeys();
      await age('current_since', 'ingestion_key_targets', 60 * 60_000);
      await run('delivery');
      expect((await ledgerKeys()).map(k => k.status)).toEqual([
        'active',
        'rotating',
      ]);
      const failed = await asAdmin(api.get(`${API_V1}/targets/failed`)).expect(
        200,
      );
      expect(failed.body.items).toEqual([
        expect.objectContaining({
          target: 'kubernetes:demo/groundcover/api-key/API_KEY',
          currentKeyId: first.id,
          lastDelivery: expect.objectContaining({
            outcome: 'failed',
            keyName: successor.name,
            error: expect.stringContaining('demo'),
          }),
        }),
      ]);

      await cluster.restart();
      await run('delivery');
      expect(apiKeySecret()).toEqual({
        API_KEY: await secretValue(successor.id),
      });
      expect((await ledgerKeys())[1].status).toBe('rotating');
      await age('current_since', 'ingestion_key_targets', 11 * 60_000);
      await run('delivery');
      expect((await ledgerKeys())[1].status).toBe('revoked');
    });
  },
);
