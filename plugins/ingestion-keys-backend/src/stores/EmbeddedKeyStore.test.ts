import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { runKeyStoreContractTests } from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { migrateDatabase } from '../database/migrateDatabase';
import { EMBEDDED_KEY_PREFIX, EmbeddedKeyStore } from './EmbeddedKeyStore';
import { SecretCipher } from './SecretCipher';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const cipher = SecretCipher.fromString(Buffer.alloc(32, 3).toString('base64'));

describe.each(databases.eachSupportedId())(
  'EmbeddedKeyStore on %s',
  databaseId => {
    const setup = async () => {
      const db = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      return { db, store: EmbeddedKeyStore.create({ db, cipher }) };
    };

    runKeyStoreContractTests(`embedded (${databaseId})`, setup);

    it('keeps values encrypted at rest and prefixed for secret scanners', async () => {
      const { db, store } = await setup();
      const key = await store.create({
        name: 'at-rest-check',
        type: 'rum',
        remoteConfig: false,
        tags: {
          managedBy: 'backstage',
          entityRef: 'component:default/a',
          environment: 'production',
          type: 'rum',
        },
      });
      expect(key.secret.startsWith(EMBEDDED_KEY_PREFIX)).toBe(true);
      const row = await db('embedded_keys')
        .where({ name: 'at-rest-check' })
        .first();
      expect(row.secret).not.toContain(key.secret);
      expect(row.secret).not.toContain(
        key.secret.slice(EMBEDDED_KEY_PREFIX.length),
      );
      expect((await store.get('at-rest-check'))?.secret).toBe(key.secret);
    });

    it('deletes revoked keys for good', async () => {
      const { db, store } = await setup();
      await store.create({
        name: 'gone-for-good',
        type: 'sensor',
        remoteConfig: true,
        tags: {
          managedBy: 'backstage',
          entityRef: 'component:default/a',
          environment: 'production',
          type: 'sensor',
        },
      });
      await store.delete('gone-for-good');
      expect(
        await db('embedded_keys').where({ name: 'gone-for-good' }),
      ).toEqual([]);
    });
  },
);
