import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const migrationsDir = resolvePackagePath(
  '@ingestion-keys/plugin-ingestion-keys-backend',
  'migrations',
);

jest.setTimeout(60_000);

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'run up and down on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      for (const table of [
        'ingestion_keys',
        'ingestion_key_events',
        'embedded_keys',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }

      // The uniqueness races rely on: one live key per identity and per name, NULLs never clash.
      const row = (
        id: string,
        identity: string | null,
        name: string | null,
      ) => ({
        id,
        provider: 'embedded',
        name: 'n',
        name_slot: name,
        type: 'sensor',
        entity_ref: 'component:default/a',
        environment: 'production',
        identity_slot: identity,
        status: 'active',
        origin: 'manual',
        created_by: 'user:default/a',
        created_at: new Date(),
      });
      await knex('ingestion_keys').insert(row('1', 'x', 'n1'));
      const insertError = async (values: object) => {
        try {
          await knex('ingestion_keys').insert(values);
          return 'inserted';
        } catch (error) {
          return String(error);
        }
      };
      expect(await insertError(row('2', 'x', 'n2'))).toMatch(
        /unique|duplicate/i,
      );
      expect(await insertError(row('3', 'y', 'n1'))).toMatch(
        /unique|duplicate/i,
      );
      await knex('ingestion_keys').insert(row('4', null, null));
      await knex('ingestion_keys').insert(row('5', null, null));

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await knex.schema.hasTable('ingestion_keys')).toBe(false);
      expect(await knex.schema.hasTable('embedded_keys')).toBe(false);
    },
  );
});
