import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { IngestionKeyStore } from '@ingestion-keys/plugin-ingestion-keys-node';
import { migrateDatabase } from '../database/migrateDatabase';
import { DatabaseKeyRecordStore } from '../database/DatabaseKeyRecordStore';
import { KeyRecordStore, NewKeyRecord } from '../database/KeyRecordStore';
import { EmbeddedKeyStore } from '../stores/EmbeddedKeyStore';
import { SecretCipher } from '../stores/SecretCipher';
import { IngestionKeysService } from './IngestionKeysService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const alice = { actor: 'user:default/alice' };
const spec = {
  entityRef: 'component:default/checkout',
  environment: 'production',
  type: 'sensor' as const,
};

describe.each(databases.eachSupportedId())(
  'IngestionKeysService on %s',
  databaseId => {
    async function setup() {
      const db = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      const records = DatabaseKeyRecordStore.create({ db });
      const keyStore = EmbeddedKeyStore.create({
        db,
        cipher: SecretCipher.fromString(Buffer.alloc(32, 3).toString('base64')),
      });
      const serviceOver = (
        store: IngestionKeyStore,
        recordStore: KeyRecordStore = records,
      ) =>
        IngestionKeysService.create({
          records: recordStore,
          keyStore: store,
          settings: {
            environments: ['production', 'staging'],
            types: ['sensor', 'rum', 'thirdParty'],
            provider: store.id,
            namingPattern: '{name}-{environment}-{type}-{integration}',
            snippets: { otlpEndpoint: 'x', rumDsn: 'y' },
          },
          managedBy: 'backstage',
          maxLiveKeysPerEntity: 50,
          logger: mockServices.logger.mock(),
          auditor: mockServices.auditor.mock(),
        });
      return { db, records, keyStore, serviceOver };
    }

    it('refuses to act on a key kept in another store than the configured one', async () => {
      const { records, keyStore, serviceOver } = await setup();
      const { key } = await serviceOver(keyStore).createKey(spec, alice);
      // The same keys, as if the configured provider had been changed to another store.
      const switched = serviceOver(
        Object.assign(Object.create(keyStore) as IngestionKeyStore, {
          id: 'groundcover',
        }),
      );

      const record = (await records.get(key.id))!;
      const attempts: Array<[string, () => Promise<unknown>]> = [
        ['revealed', () => switched.revealKey(record, alice)],
        ['rotated', () => switched.rotateKey(record, alice)],
        ['revoked', () => switched.revokeKey(record, alice)],
      ];
      for (const [verb, attempt] of attempts) {
        const error = (await attempt().catch(e => e)) as Error;
        expect(error).toBeInstanceOf(ConflictError);
        expect(error.message).toBe(
          `Key ${key.name} lives in the embedded key store, but this portal now uses groundcover; it cannot be ${verb} here`,
        );
      }
      expect((await records.get(key.id))?.status).toBe('active');
      expect((await keyStore.list()).map(k => k.name)).toEqual([key.name]);
    });

    it('takes the successor back when the old key is revoked during a rotation', async () => {
      const { db, records, keyStore, serviceOver } = await setup();
      const { key: old } = await serviceOver(keyStore).createKey(spec, alice);
      // The old key is revoked between the successor's reservation and its activation.
      const racing = serviceOver(
        keyStore,
        Object.assign(Object.create(records) as KeyRecordStore, {
          reserve: async (record: NewKeyRecord) => {
            const reserved = await records.reserve(record);
            await keyStore.delete(old.name);
            await records.markRevoked(old.id, 'user:default/bob');
            return reserved;
          },
        }),
      );

      const error = await racing
        .rotateKey((await records.get(old.id))!, alice)
        .catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        `The key that ${old.name}-r2 replaces is no longer active`,
      );
      expect(await keyStore.list()).toEqual([]);
      expect(
        await db('ingestion_keys').whereNot('status', 'revoked').select('name'),
      ).toEqual([]);
    });
  },
);
