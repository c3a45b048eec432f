import { Knex } from 'knex';
import { sealingContextOf } from '../stores/EmbeddedKeyStore';
import { SecretCipher } from '../stores/SecretCipher';

/** The columns of an insert, in the order of its bindings. */
const INSERT_COLUMNS = /^insert into [`"]?embedded_keys[`"]?\s*\(([^)]*)\)/i;

/**
 * Every key value the embedded key store writes through `knex`, unsealed with its encryption key.
 * Read from the writes rather than the table, since revoking a key deletes its row.
 */
export function watchEmbeddedKeySecrets(knex: Knex, encryptionKey: string) {
  const cipher = SecretCipher.fromString(encryptionKey);
  const secrets: string[] = [];
  const onQuery = (query: { sql: string; bindings?: unknown[] }) => {
    const columns = INSERT_COLUMNS.exec(query.sql)?.[1]
      .split(',')
      .map(column => column.trim().replace(/^[`"]|[`"]$/g, ''));
    if (!columns) {
      return;
    }
    const row = Object.fromEntries(
      columns.map((column, i) => [column, String(query.bindings?.[i])]),
    );
    secrets.push(
      cipher.decrypt(
        row.secret,
        sealingContextOf({ name: row.name, id: row.id }),
      ),
    );
  };
  knex.on('query', onQuery);
  return {
    secrets: () => [...secrets],
    stop: () => {
      knex.removeListener('query', onQuery);
    },
  };
}
