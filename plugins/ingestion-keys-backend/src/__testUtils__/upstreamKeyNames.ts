import { Knex } from 'knex';
import { GroundcoverContractServer } from '@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover/testUtils';

/**
 * The names of the keys the backend's key store holds now, sorted: the groundcover contract
 * server's keys, or the embedded store's rows, which live in the plugin database.
 */
export async function upstreamKeyNames(backend: {
  knex: Knex;
  groundcover?: GroundcoverContractServer;
}): Promise<string[]> {
  const names = backend.groundcover
    ? backend.groundcover.keys().map(k => k.name)
    : (await backend.knex('embedded_keys').select('name')).map(
        (row: { name: string }) => row.name,
      );
  return names.sort();
}
