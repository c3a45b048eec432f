import { Knex } from 'knex';
import { SecretCipher } from '../stores/SecretCipher';

/** A value as SecretCipher seals it: IV, tag and ciphertext in base64, joined by dots. */
const SEALED = /^[A-Za-z0-9+/]+=*\.[A-Za-z0-9+/]+=*\.[A-Za-z0-9+/]+=*$/;

/**
 * Every key value the embedded key store writes through `knex`, unsealed with its encryption key.
 * Read from the writes rather than the table, since revoking a key deletes its row.
 */
export function watchEmbeddedKeySecrets(knex: Knex, encryptionKey: string) {
  const cipher = SecretCipher.fromString(encryptionKey);
  const secrets: string[] = [];
  const onQuery = (query: { sql: string; bindings?: unknown[] }) => {
    if (!/^insert into [`"]?embedded_keys\b/i.test(query.sql)) {
      return;
    }
    for (const binding of query.bindings ?? []) {
      if (typeof binding === 'string' && SEALED.test(binding)) {
        secrets.push(cipher.decrypt(binding));
      }
    }
  };
  knex.on('query', onQuery);
  return {
    secrets: () => [...secrets],
    stop: () => {
      knex.removeListener('query', onQuery);
    },
  };
}
