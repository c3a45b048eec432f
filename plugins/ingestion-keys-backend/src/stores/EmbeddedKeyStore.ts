import { randomBytes, randomUUID } from 'crypto';
import { Knex } from 'knex';
import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  IngestionKeyType,
  isSameKeyIdentity,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  CreateStoredKeyRequest,
  IngestionKeyStore,
  StoredKey,
  StoredKeySummary,
  StoredKeyTags,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { SecretCipher } from './SecretCipher';

const TABLE = 'embedded_keys';
/** Recognisable in logs and secret scanners, like groundcover's own `gcik_` keys. */
export const EMBEDDED_KEY_PREFIX = 'ikbs_';

/**
 * What a row's value is bound to when sealed: a value copied into another row (another name or
 * another key id) does not decrypt there.
 */
export const sealingContextOf = (row: { name: string; id: string }) =>
  `${TABLE}/${row.name}/${row.id}`;

type EmbeddedKeyRow = {
  name: string;
  id: string;
  type: string;
  remote_config: boolean | number;
  tags: string;
  secret: string;
  created_at: Date;
};

/**
 * The default key store: keys generated here (256 bits from the system's CSPRNG) and kept in the
 * plugin database, encrypted at rest. Revoking deletes the row, so a revoked key is gone for good.
 */
export class EmbeddedKeyStore implements IngestionKeyStore {
  readonly id = 'embedded';

  static create(options: { db: Knex; cipher: SecretCipher }) {
    return new EmbeddedKeyStore(options.db, options.cipher);
  }

  private constructor(
    private readonly db: Knex,
    private readonly cipher: SecretCipher,
  ) {}

  async create(request: CreateStoredKeyRequest): Promise<StoredKey> {
    const secret = `${EMBEDDED_KEY_PREFIX}${randomBytes(32).toString(
      'base64url',
    )}`;
    const identity = { name: request.name, id: randomUUID() };
    const row: EmbeddedKeyRow = {
      ...identity,
      type: request.type,
      remote_config: request.remoteConfig,
      tags: JSON.stringify(request.tags),
      secret: this.cipher.encrypt(secret, sealingContextOf(identity)),
      created_at: new Date(),
    };
    try {
      await this.db<EmbeddedKeyRow>(TABLE).insert(row);
    } catch (error) {
      if (!isDatabaseConflictError(error)) {
        throw error;
      }
      return this.adoptOrConflict(request);
    }
    return this.toStoredKey(row, secret);
  }

  /** Same contract as groundcover: an existing key is handed back only if it is this identity's. */
  private async adoptOrConflict(
    request: CreateStoredKeyRequest,
  ): Promise<StoredKey> {
    const existing = await this.get(request.name);
    if (existing && isSameKeyIdentity(existing.tags, request.tags)) {
      return existing;
    }
    throw new ConflictError(
      `An ingestion key named ${request.name} already exists and belongs to something else`,
    );
  }

  async get(name: string): Promise<StoredKey | undefined> {
    const row = await this.db<EmbeddedKeyRow>(TABLE).where({ name }).first();
    return row
      ? this.toStoredKey(
          row,
          this.cipher.decrypt(row.secret, sealingContextOf(row)),
        )
      : undefined;
  }

  async list(): Promise<StoredKeySummary[]> {
    const rows = await this.db<EmbeddedKeyRow>(TABLE).select(
      'name',
      'id',
      'type',
      'remote_config',
      'tags',
    );
    return rows.map(row => this.toSummary(row));
  }

  async delete(name: string): Promise<void> {
    await this.db<EmbeddedKeyRow>(TABLE).where({ name }).delete();
  }

  private toSummary(
    row: Omit<EmbeddedKeyRow, 'secret' | 'created_at'>,
  ): StoredKeySummary {
    return {
      providerKeyId: row.id,
      name: row.name,
      type: row.type as IngestionKeyType,
      remoteConfig: Boolean(row.remote_config),
      tags: JSON.parse(row.tags) as StoredKeyTags,
    };
  }

  private toStoredKey(row: EmbeddedKeyRow, secret: string): StoredKey {
    return { ...this.toSummary(row), secret };
  }
}
