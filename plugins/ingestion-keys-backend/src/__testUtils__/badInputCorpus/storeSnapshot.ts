import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestKeyStore } from 'test-backend';

/** Every row of every table, and every key of the test key store when there is one: table → rows. */
export type StoreSnapshot = Record<string, string[]>;

/** How many rows a table gained and lost; a changed row counts as one of each. */
export type TableChanges = Record<string, { added: number; removed: number }>;

/** The pseudo-table of a snapshot that holds the keys of the test key store. */
export const STORE_KEYS = 'store keys';

/**
 * The tables of the plugin's database as the database lists them, so that a table a new
 * migration adds is compared without anyone remembering to name it. The engine's own tables
 * (SQLite's `sqlite_sequence`) are left out: they are not the plugin's, and SQLite alone has them.
 */
export async function tablesOf(knex: Knex): Promise<string[]> {
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(
      `select table_name as name from information_schema.tables
       where table_schema = current_schema() and table_type = 'BASE TABLE'`,
    );
    return rows.map((r: { name: string }) => r.name).sort();
  }
  const rows: { name: string }[] = await knex('sqlite_master')
    .where('type', 'table')
    .whereNot('name', 'like', 'sqlite_%')
    .select('name');
  return rows.map(r => r.name).sort();
}

/** The tables the plugin's migrations create, read from their source: a check on {@link tablesOf}. */
export function tablesCreatedByMigrations(): string[] {
  const dir = resolvePackagePath(
    '@ingestion-keys/plugin-ingestion-keys-backend',
    'migrations',
  );
  return fs
    .readdirSync(dir)
    .flatMap(file =>
      [
        ...fs
          .readFileSync(path.join(dir, file), 'utf8')
          .matchAll(/createTable\(\s*'([^']+)'/g),
      ].map(m => m[1]),
    )
    .sort();
}

const sortedRows = (rows: object[]) => rows.map(r => JSON.stringify(r)).sort();

export async function snapshotStores(
  knex: Knex,
  keyStore?: Pick<TestKeyStore, 'keys'>,
): Promise<StoreSnapshot> {
  const snapshot: StoreSnapshot = {};
  for (const table of await tablesOf(knex)) {
    snapshot[table] = sortedRows(await knex(table).select());
  }
  if (keyStore) {
    snapshot[STORE_KEYS] = sortedRows(keyStore.keys());
  }
  return snapshot;
}

/** The tables whose rows differ between two snapshots, and by how many rows. */
export function changesBetween(
  before: StoreSnapshot,
  after: StoreSnapshot,
): TableChanges {
  const changes: TableChanges = {};
  for (const table of new Set([
    ...Object.keys(before),
    ...Object.keys(after),
  ])) {
    const was = new Set(before[table] ?? []);
    const is = new Set(after[table] ?? []);
    const added = [...is].filter(row => !was.has(row)).length;
    const removed = [...was].filter(row => !is.has(row)).length;
    if (added || removed) {
      changes[table] = { added, removed };
    }
  }
  return changes;
}
