import { Knex } from 'knex';
import { TestKeyStore } from 'test-backend';

/**
 * The names of the keys the backend's key store holds now, sorted: the test key store's keys, or
 * the embedded store's rows, which live in the plugin database.
 */
export async function upstreamKeyNames(backend: {
  knex: Knex;
  keyStore?: Pick<TestKeyStore, 'keys'>;
}): Promise<string[]> {
  const names = backend.keyStore
    ? backend.keyStore.keys().map(k => k.name)
    : (await backend.knex('embedded_keys').select('name')).map(
        (row: { name: string }) => row.name,
      );
  return names.sort();
}
