import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  IngestionKeyStore,
  ingestionKeyStoresExtensionPoint,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { GroundcoverKeyStore } from './GroundcoverKeyStore';
import { ingestionKeysModuleGroundcover } from './module';

describe('ingestionKeysModuleGroundcover', () => {
  async function startWith(data: object) {
    const stores: IngestionKeyStore[] = [];
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      extensionPoints: [
        [
          ingestionKeyStoresExtensionPoint,
          { addKeyStore: (store: IngestionKeyStore) => stores.push(store) },
        ],
      ],
      features: [
        ingestionKeysModuleGroundcover,
        mockServices.rootConfig.factory({ data }),
        logger.factory,
      ],
    });
    await backend.stop();
    return { stores, logger };
  }

  it('adds the groundcover store when it is configured', async () => {
    const { stores } = await startWith({
      ingestionKeys: {
        groundcover: { apiKey: 'gcsa_test', backendId: 'incloud' },
      },
    });
    expect(stores).toHaveLength(1);
    expect(stores[0]).toBeInstanceOf(GroundcoverKeyStore);
    expect(stores[0].id).toBe('groundcover');
  });

  it('adds nothing and says why when it is not configured', async () => {
    const { stores, logger } = await startWith({
      ingestionKeys: { provider: 'embedded' },
    });
    expect(stores).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('ingestionKeys.groundcover is not configured'),
    );
  });
});
