import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { KeyRecord } from '../database/KeyRecordStore';

/** The API shape of a record: bookkeeping fields stay in the database. */
export function toIngestionKey(record: KeyRecord): IngestionKey {
  const { providerKeyId: _id, generation: _generation, ...key } = record;
  return key;
}
