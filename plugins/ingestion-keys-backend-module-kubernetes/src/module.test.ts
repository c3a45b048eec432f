import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  IngestionKeyDeliveryProvider,
  ingestionKeyDeliveryProvidersExtensionPoint,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { KubernetesDeliveryProvider } from './KubernetesDeliveryProvider';
import { ingestionKeysModuleKubernetes } from './module';
import { TEST_CA_CERTIFICATE } from './testUtils';

const TOKEN = 'sa-token-do-not-leak';

/** Stands in for the ingestion-keys backend: registers the extension point, keeps what is added. */
function capturingPlugin(providers: IngestionKeyDeliveryProvider[]) {
  return createBackendPlugin({
    pluginId: 'ingestion-keys',
    register(reg) {
      reg.registerExtensionPoint(ingestionKeyDeliveryProvidersExtensionPoint, {
        addDeliveryProvider: provider => providers.push(provider),
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('ingestionKeysModuleKubernetes', () => {
  async function startWith(data: object) {
    const providers: IngestionKeyDeliveryProvider[] = [];
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        capturingPlugin(providers),
        ingestionKeysModuleKubernetes,
        mockServices.rootConfig.factory({ data }),
        logger.factory,
      ],
    });
    await backend.stop();
    return { providers, logger };
  }

  const cluster = {
    name: 'prod-eu',
    url: 'https://k8s.example.com:6443',
    caData: TEST_CA_CERTIFICATE,
    serviceAccountToken: TOKEN,
  };

  it('adds the Kubernetes delivery provider when a cluster is configured', async () => {
    const { providers, logger } = await startWith({
      ingestionKeys: { kubernetes: { clusters: [cluster] } },
    });

    expect(providers).toHaveLength(1);
    expect(providers[0]).toBeInstanceOf(KubernetesDeliveryProvider);
    expect(providers[0].kind).toBe('kubernetes');
    expect(providers[0].parseAddress('prod-eu/groundcover')).toBe(
      'prod-eu/groundcover/api-key/API_KEY',
    );
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(TOKEN);
  });

  it('adds nothing and says why when no cluster is configured', async () => {
    const { providers, logger } = await startWith({
      ingestionKeys: { kubernetes: { clusters: [] } },
    });

    expect(providers).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      'Kubernetes delivery provider not added: no cluster is configured under ingestionKeys.kubernetes.clusters',
    );
  });

  it('fails startup on a configuration that cannot work', async () => {
    await expect(
      startWith({
        ingestionKeys: { kubernetes: { clusters: [cluster, cluster] } },
      }),
    ).rejects.toThrow('cluster name "prod-eu" is configured twice');
  });
});
