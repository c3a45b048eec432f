import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@ingestion-keys/plugin-ingestion-keys-backend',
  'migrations',
);

/** Brings the plugin database up to date, unless the deployment runs migrations itself. */
export async function migrateDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const db = await database.getClient();
  if (!database.migrations?.skip) {
    await db.migrate.latest({ directory: migrationsDir });
  }
  return db;
}
