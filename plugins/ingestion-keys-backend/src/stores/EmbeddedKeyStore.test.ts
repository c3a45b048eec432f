import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { runKeyStoreContractTests } from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { migrateDatabase } from '../database/migrateDatabase';
import { EMBEDDED_KEY_PREFIX, EmbeddedKeyStore } from './EmbeddedKeyStore';
import { SecretCipher } from './SecretCipher';
import { sealWithoutContext } from '../__testUtils__/sealWithoutContext';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ENCRYPTION_KEY = Buffer.alloc(32, 3).toString('base64');
const NEW_ENCRYPTION_KEY = Buffer.alloc(32, 4).toString('base64');
const cipher = SecretCipher.fromString(ENCRYPTION_KEY);

const requestFor = (name: string) => ({
  name,
  type: 'sensor' as const,
  remoteConfig: false,
  tags: {
    managedBy: 'backstage',
    entityRef: 'component:default/a',
    environment: 'production',
    type: 'sensor' as const,
  },
});

describe.each(databases.eachSupportedId())(
  'EmbeddedKeyStore on %s',
  databaseId => {
    const setup = async () => {
      const db = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      /** The store over the same rows, as a backend with this cipher config runs it. */
      const storeWith = (encryptionKey: string, previous: string[] = []) =>
        EmbeddedKeyStore.create({
          db,
          cipher: SecretCipher.fromString(encryptionKey, previous),
        });
      return { db, store: EmbeddedKeyStore.create({ db, cipher }), storeWith };
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

    it("refuses a row's value copied into another row, rather than revealing it there", async () => {
      const { db, store } = await setup();
      const a = await store.create(requestFor('copy-source'));
      await store.create(requestFor('copy-target'));
      const { secret } = await db('embedded_keys')
        .where({ name: 'copy-source' })
        .first();
      await db('embedded_keys')
        .where({ name: 'copy-target' })
        .update({ secret });
      await expect(store.get('copy-target')).rejects.toThrow(
        /does not decrypt/,
      );
      expect((await store.get('copy-source'))?.secret).toBe(a.secret);
    });

    it('reveals keys made before a key change once the old key is in previousEncryptionKeys', async () => {
      const { store, storeWith } = await setup();
      const old = await store.create(requestFor('before-key-change'));
      const changed = storeWith(NEW_ENCRYPTION_KEY, [ENCRYPTION_KEY]);
      expect((await changed.get('before-key-change'))?.secret).toBe(old.secret);
      const made = await changed.create(requestFor('after-key-change'));
      expect((await changed.get('after-key-change'))?.secret).toBe(made.secret);
      // New values are sealed with the new key only: the old key no longer opens them.
      await expect(store.get('after-key-change')).rejects.toThrow();
      await expect(
        storeWith(NEW_ENCRYPTION_KEY).get('before-key-change'),
      ).rejects.toThrow();
    });

    it('still reveals rows sealed before values were bound to their row', async () => {
      const { db, store, storeWith } = await setup();
      await store.create(requestFor('sealed-long-ago'));
      await db('embedded_keys')
        .where({ name: 'sealed-long-ago' })
        .update({ secret: sealWithoutContext(ENCRYPTION_KEY, 'ikbs_legacy') });
      expect((await store.get('sealed-long-ago'))?.secret).toBe('ikbs_legacy');
      expect(
        (
          await storeWith(NEW_ENCRYPTION_KEY, [ENCRYPTION_KEY]).get(
            'sealed-long-ago',
          )
        )?.secret,
      ).toBe('ikbs_legacy');
    });
  },
);
