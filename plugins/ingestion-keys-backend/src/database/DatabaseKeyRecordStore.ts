import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  IngestionKeyAction,
  IngestionKeyEvent,
  IngestionKeyOrigin,
  IngestionKeyStatus,
  IngestionKeyType,
  keyIdentityOf,
  KeySortField,
  normalizeEntityRef,
  UndesiredReason,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  KeyActivation,
  KeyRecord,
  KeyRecordQuery,
  KeyRecordStore,
  NewKeyRecord,
} from './KeyRecordStore';
import { KeyNameTakenError } from './KeyNameTakenError';

const KEYS = 'ingestion_keys';
const EVENTS = 'ingestion_key_events';

const SORT_COLUMNS: Record<KeySortField, string> = {
  name: 'name',
  type: 'type',
  environment: 'environment',
  status: 'status',
  createdBy: 'created_by',
  createdAt: 'created_at',
};

type KeyRow = {
  id: string;
  provider: string;
  provider_key_id: string | null;
  name: string;
  name_slot: string | null;
  type: string;
  remote_config: boolean | number;
  entity_ref: string;
  environment: string;
  integration: string | null;
  identity_slot: string | null;
  generation: number;
  status: string;
  origin: string;
  owner_ref: string | null;
  created_by: string;
  created_at: Date | string | number;
  replaces_id: string | null;
  replaced_by_id: string | null;
  revoked_by: string | null;
  revoked_at: Date | string | number | null;
  undesired_since?: Date | string | number | null;
  undesired_reason?: string | null;
  replaced_outside_at?: Date | string | number | null;
};

type EventRow = {
  id: number | string;
  key_id: string;
  key_name: string;
  entity_ref: string;
  action: string;
  actor: string;
  at: Date | string | number;
};

// PostgreSQL returns Date objects, SQLite numbers or strings.
const isoTime = (value: Date | string | number) =>
  new Date(value).toISOString();

function toRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    name: row.name,
    type: row.type as IngestionKeyType,
    remoteConfig: Boolean(row.remote_config),
    entityRef: row.entity_ref,
    environment: row.environment,
    ...(row.integration ? { integration: row.integration } : {}),
    status: row.status as IngestionKeyStatus,
    origin: row.origin as IngestionKeyOrigin,
    provider: row.provider,
    ...(row.provider_key_id ? { providerKeyId: row.provider_key_id } : {}),
    ...(row.owner_ref ? { ownerRef: row.owner_ref } : {}),
    generation: row.generation,
    createdBy: row.created_by,
    createdAt: isoTime(row.created_at),
    ...(row.replaces_id ? { replacesId: row.replaces_id } : {}),
    ...(row.replaced_by_id ? { replacedById: row.replaced_by_id } : {}),
    ...(row.revoked_by ? { revokedBy: row.revoked_by } : {}),
    ...(row.revoked_at ? { revokedAt: isoTime(row.revoked_at) } : {}),
    ...(row.undesired_since
      ? {
          undesiredSince: isoTime(row.undesired_since),
          undesiredReason: row.undesired_reason as UndesiredReason,
        }
      : {}),
    ...(row.replaced_outside_at
      ? { replacedOutsideAt: isoTime(row.replaced_outside_at) }
      : {}),
  };
}

type NewKeyEvent = {
  key: { id: string; name: string; entityRef: string };
  action: IngestionKeyAction;
  actor: string;
};

/** Writes events in one statement, in the order given (the order they are listed back in). */
async function insertEvents(db: Knex, events: NewKeyEvent[]): Promise<void> {
  const at = new Date();
  await db<EventRow>(EVENTS).insert(
    events.map(event => ({
      key_id: event.key.id,
      key_name: event.key.name,
      entity_ref: event.key.entityRef,
      action: event.action,
      actor: event.actor,
      at,
    })),
  );
}

const pendingNotFound = (id: string) =>
  new NotFoundError(`No pending ingestion key with id ${id}`);

/** The knex implementation of {@link KeyRecordStore}, for SQLite and PostgreSQL. */
export class DatabaseKeyRecordStore implements KeyRecordStore {
  static create(options: { db: Knex }): DatabaseKeyRecordStore {
    return new DatabaseKeyRecordStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async now(): Promise<Date> {
    const result = await this.db.raw(`select ${this.clockSql()} as now`);
    const [{ now }] = this.isPostgres() ? result.rows : result;
    return new Date(now);
  }

  /**
   * The database's clock in the form its timestamp columns hold (SQLite: milliseconds, as knex
   * writes a Date there), so that a reservation's age means the same on every instance.
   */
  private clockSql(): string {
    return this.isPostgres()
      ? "date_trunc('milliseconds', now())"
      : "cast(round((julianday('now') - 2440587.5) * 86400000) as integer)";
  }

  private isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  async reserve(record: NewKeyRecord): Promise<KeyRecord> {
    const identity = keyIdentityOf(record);
    const row: KeyRow = {
      id: randomUUID(),
      provider: record.provider,
      provider_key_id: null,
      name: record.name,
      name_slot: record.name,
      type: record.type,
      remote_config: record.remoteConfig,
      entity_ref: record.entityRef,
      environment: record.environment,
      integration: record.integration ?? null,
      // A successor waits in its own slot so that two rotations of one key cannot both proceed.
      identity_slot: record.replacesId ? `${identity}#successor` : identity,
      generation: record.generation,
      status: 'pending',
      origin: record.origin,
      owner_ref: record.ownerRef ?? null,
      created_by: record.createdBy,
      created_at: new Date(),
      replaces_id: record.replacesId ?? null,
      replaced_by_id: null,
      revoked_by: null,
      revoked_at: null,
    };
    try {
      const [inserted] = await this.db<KeyRow>(KEYS)
        .insert({ ...row, created_at: this.db.raw(this.clockSql()) })
        .returning('*');
      return toRecord(inserted);
    } catch (error) {
      if (!isDatabaseConflictError(error)) {
        throw error;
      }
      throw await this.conflictFor(row);
    }
  }

  private async conflictFor(row: KeyRow): Promise<ConflictError> {
    const holder = await this.db<KeyRow>(KEYS)
      .where('identity_slot', row.identity_slot)
      .orWhere('name_slot', row.name_slot)
      .first();
    if (!holder) {
      return new ConflictError(
        `An ingestion key named ${row.name} was being created at the same time; try again`,
      );
    }
    if (row.replaces_id && holder.identity_slot === row.identity_slot) {
      return new ConflictError(
        `Key ${holder.name} is already being created as the successor of this key`,
      );
    }
    const purpose = [
      holder.entity_ref,
      holder.environment,
      holder.type,
      holder.integration,
    ]
      .filter(Boolean)
      .join(', ');
    const detail = `An ingestion key already exists for ${purpose}: ${holder.name} (id ${holder.id}, ${holder.status})`;
    return normalizeEntityRef(holder.entity_ref) ===
      normalizeEntityRef(row.entity_ref)
      ? new ConflictError(detail)
      : new KeyNameTakenError(row.name, detail);
  }

  async activate(
    reservation: KeyRecord,
    change: KeyActivation,
  ): Promise<KeyRecord> {
    const { id, replacesId } = reservation;
    return this.db.transaction(async tx => {
      const events: NewKeyEvent[] = [];
      if (replacesId) {
        // The old key gives up its identity to its successor and stays valid until revoked.
        const [old] = await tx<KeyRow>(KEYS)
          .where({ id: replacesId, status: 'active' })
          .whereExists(
            tx<KeyRow>(KEYS).where({ id, status: 'pending' }).select('id'),
          )
          .update({
            status: 'rotating',
            identity_slot: null,
            replaced_by_id: id,
          })
          .returning('*');
        if (!old) {
          throw (await tx<KeyRow>(KEYS)
            .where({ id, status: 'pending' })
            .first())
            ? new ConflictError(
                `The key that ${reservation.name} replaces is no longer active`,
              )
            : pendingNotFound(id);
        }
        if (!change.adopted) {
          events.push({
            key: toRecord(old),
            action: 'rotated',
            actor: change.actor,
          });
        }
      }
      const [row] = await tx<KeyRow>(KEYS)
        .where({ id, status: 'pending' })
        .update({
          status: 'active',
          identity_slot: keyIdentityOf(reservation),
          provider_key_id: change.providerKeyId ?? null,
        })
        .returning('*');
      if (!row) {
        throw pendingNotFound(id);
      }
      const key = toRecord(row);
      events.unshift({
        key,
        action: change.adopted ? 'adopted' : 'created',
        actor: change.actor,
      });
      await insertEvents(tx, events);
      return key;
    });
  }

  async discard(id: string): Promise<void> {
    await this.db<KeyRow>(KEYS).where({ id, status: 'pending' }).delete();
  }

  async markRevoked(id: string, revokedBy: string): Promise<KeyRecord> {
    return this.db.transaction(async tx => {
      const [changed] = await tx<KeyRow>(KEYS)
        .where({ id })
        .whereIn('status', ['active', 'rotating'])
        .update({
          status: 'revoked',
          identity_slot: null,
          name_slot: null,
          revoked_by: revokedBy,
          revoked_at: new Date(),
        })
        .returning('*');
      if (changed?.replaces_id) {
        // The keys this one was to replace, still valid, must not be stranded: when it held the
        // identity they are active again (so they can be rotated and provisioning finds their
        // identity held); when it was replaced itself, they wait for its successor instead.
        const waiting = tx<KeyRow>(KEYS).where({
          status: 'rotating',
          replaced_by_id: changed.id,
        });
        await (changed.replaced_by_id
          ? waiting.update({ replaced_by_id: changed.replaced_by_id })
          : waiting.update({
              status: 'active',
              identity_slot: keyIdentityOf(toRecord(changed)),
              replaced_by_id: null,
            }));
      }
      if (changed) {
        const record = toRecord(changed);
        // Written with the change, so that revocations racing each other record one revocation.
        await insertEvents(tx, [
          { key: record, action: 'revoked', actor: revokedBy },
        ]);
        return record;
      }
      const row = await tx<KeyRow>(KEYS).where({ id }).first();
      if (!row) {
        throw new NotFoundError(`No ingestion key with id ${id}`);
      }
      if (row.status !== 'revoked') {
        throw new ConflictError(`Key ${row.name} is ${row.status}`);
      }
      return toRecord(row);
    });
  }

  async markReplacedOutside(id: string): Promise<void> {
    await this.db<KeyRow>(KEYS)
      .where({ id })
      .whereNull('replaced_outside_at')
      .update({ replaced_outside_at: new Date() });
  }

  async get(id: string): Promise<KeyRecord | undefined> {
    const row = await this.db<KeyRow>(KEYS).where({ id }).first();
    return row ? toRecord(row) : undefined;
  }

  async getByName(name: string): Promise<KeyRecord | undefined> {
    const row = await this.db<KeyRow>(KEYS)
      .where({ name })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row ? toRecord(row) : undefined;
  }

  async list(
    query: KeyRecordQuery,
  ): Promise<{ items: KeyRecord[]; totalCount: number }> {
    const filtered = this.db<KeyRow>(KEYS).where(builder => {
      if (query.entityRef) {
        builder.where('entity_ref', query.entityRef);
      }
      if (query.entityRefs) {
        builder.whereIn('entity_ref', query.entityRefs);
      }
      if (query.environment) {
        builder.where('environment', query.environment);
      }
      if (query.type) {
        builder.where('type', query.type);
      }
      if (query.createdBy) {
        builder.where('created_by', query.createdBy);
      }
      if (query.ownerRef) {
        builder.where('owner_ref', query.ownerRef);
      }
      if (query.status) {
        builder.where('status', query.status);
      } else if (!query.includeRevoked) {
        builder.whereNot('status', 'revoked');
      }
    });
    const direction = query.order ?? (query.orderBy ? 'asc' : 'desc');
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const rows = await filtered
      .clone()
      .orderBy([
        {
          column: SORT_COLUMNS[query.orderBy ?? 'createdAt'],
          order: direction,
        },
        { column: 'id', order: direction },
      ])
      .limit(limit)
      .offset(offset);
    // An entity's keys nearly always fit one page: then the page is the count, and the hot
    // path of the entity tab stays one query.
    if (offset === 0 && rows.length < limit) {
      return { items: rows.map(toRecord), totalCount: rows.length };
    }
    const [{ count }] = await filtered.clone().count({ count: '*' });
    return { items: rows.map(toRecord), totalCount: Number(count) };
  }

  async wasRevoked(provider: string, providerKeyId: string): Promise<boolean> {
    const row = await this.db<KeyRow>(KEYS)
      .where({
        provider,
        provider_key_id: providerKeyId,
        status: 'revoked',
      })
      .first('id');
    return row !== undefined;
  }

  async findByEntities(entityRefs: string[]): Promise<KeyRecord[]> {
    if (entityRefs.length === 0) {
      return [];
    }
    const rows = await this.db<KeyRow>(KEYS)
      .whereIn('entity_ref', entityRefs)
      .whereIn('status', ['pending', 'active']);
    return rows.map(toRecord);
  }

  async recordedNames(
    provider: string,
    keys: Array<{ name: string; providerKeyId?: string }>,
  ): Promise<Set<string>> {
    const ids = keys.flatMap(k => (k.providerKeyId ? [k.providerKeyId] : []));
    const rows: Array<Pick<KeyRow, 'name' | 'provider_key_id'>> =
      await this.db<KeyRow>(KEYS)
        .where('provider', provider)
        .andWhere(q =>
          q
            .where(live =>
              live
                .whereIn(
                  'name',
                  keys.map(k => k.name),
                )
                .whereNot('status', 'revoked'),
            )
            .orWhereIn('provider_key_id', ids),
        )
        .select('name', 'provider_key_id');
    const names = new Set(rows.map(r => r.name));
    const knownIds = new Set(rows.map(r => r.provider_key_id));
    return new Set(
      keys
        .filter(
          k =>
            names.has(k.name) ||
            (k.providerKeyId !== undefined && knownIds.has(k.providerKeyId)),
        )
        .map(k => k.name),
    );
  }

  streamProvisioned(pageSize = 1000): AsyncIterable<KeyRecord[]> {
    return this.streamPages(pageSize, query =>
      query
        .whereIn('origin', ['provisioned', 'adopted'])
        .where('status', 'active'),
    );
  }

  streamStalePending(
    createdBefore: Date,
    pageSize = 1000,
  ): AsyncIterable<KeyRecord[]> {
    return this.streamPages(pageSize, query =>
      query.where('status', 'pending').where('created_at', '<=', createdBefore),
    );
  }

  /** Pages through the matching keys by id, so rows changed between pages are not seen twice. */
  private async *streamPages(
    pageSize: number,
    filter: (query: Knex.QueryBuilder<KeyRow>) => Knex.QueryBuilder<KeyRow>,
  ): AsyncIterable<KeyRecord[]> {
    let after = '';
    for (;;) {
      const rows: KeyRow[] = await filter(this.db<KeyRow>(KEYS))
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize);
      if (rows.length === 0) {
        return;
      }
      yield rows.map(toRecord);
      after = rows[rows.length - 1].id;
    }
  }

  async markUndesired(ids: string[], reason: UndesiredReason): Promise<void> {
    if (ids.length) {
      await this.db<KeyRow>(KEYS)
        .whereIn('id', ids)
        .whereNull('undesired_since')
        .update({ undesired_since: new Date(), undesired_reason: reason });
    }
  }

  async clearUndesired(ids: string[]): Promise<void> {
    if (ids.length) {
      await this.db<KeyRow>(KEYS)
        .whereIn('id', ids)
        .update({ undesired_since: null, undesired_reason: null });
    }
  }

  async listUndesired(filter: {
    entityRef?: string;
    limit?: number;
  }): Promise<KeyRecord[]> {
    const rows = await this.db<KeyRow>(KEYS)
      .whereNotNull('undesired_since')
      .where('status', 'active')
      .where(builder => {
        if (filter.entityRef) {
          builder.where('entity_ref', filter.entityRef);
        }
      })
      .orderBy('undesired_since')
      .limit(filter.limit ?? 500);
    return rows.map(toRecord);
  }

  async addEvent(event: NewKeyEvent): Promise<void> {
    await insertEvents(this.db, [event]);
  }

  async listEvents(filter: {
    keyId?: string;
    entityRef?: string;
    limit?: number;
  }): Promise<IngestionKeyEvent[]> {
    const rows = await this.db<EventRow>(EVENTS)
      .where(builder => {
        if (filter.keyId) {
          builder.where('key_id', filter.keyId);
        }
        if (filter.entityRef) {
          builder.where('entity_ref', filter.entityRef);
        }
      })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 200);
    return rows.map(row => ({
      id: String(row.id),
      keyId: row.key_id,
      keyName: row.key_name,
      entityRef: row.entity_ref,
      action: row.action as IngestionKeyAction,
      actor: row.actor,
      at: isoTime(row.at),
    }));
  }
}
