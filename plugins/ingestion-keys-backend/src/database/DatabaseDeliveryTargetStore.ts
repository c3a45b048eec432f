import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  DeliveryOutcome,
  DeliveryTargetOrigin,
  EXTERNAL_SECRETS_TARGET_KIND,
  IngestionKeySpec,
  IngestionKeyType,
  KeyDeliveryTarget,
  keyIdentityOf,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  DeliveryTargetStore,
  DueDelivery,
  NewDelivery,
  NewDeliveryTarget,
} from './DeliveryTargetStore';

const TARGETS = 'ingestion_key_targets';
const DELIVERIES = 'ingestion_key_deliveries';
const KEYS = 'ingestion_keys';
/** Rows per statement: well under SQLite's limit on bound parameters. */
const BATCH = 100;

type Time = Date | string | number;

type TargetRow = {
  id: string;
  entity_ref: string;
  environment: string;
  type: string;
  integration: string | null;
  identity: string;
  target: string;
  kind: string;
  origin: string;
  added_by: string;
  added_at: Time;
  current_key_id: string | null;
  current_generation: number | null;
  current_since: Time | null;
  last_key_id: string | null;
  last_key_name: string | null;
  last_generation: number | null;
  last_outcome: string | null;
  last_at: Time | null;
  last_location: string | null;
  last_error: string | null;
};

// PostgreSQL returns Date objects, SQLite numbers or strings.
const isoTime = (value: Time) => new Date(value).toISOString();

function toTarget(row: TargetRow) {
  const target: KeyDeliveryTarget = {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    type: row.type as IngestionKeyType,
    ...(row.integration ? { integration: row.integration } : {}),
    target: row.target,
    kind: row.kind,
    pull: row.kind === EXTERNAL_SECRETS_TARGET_KIND,
    origin: row.origin as DeliveryTargetOrigin,
    addedBy: row.added_by,
    addedAt: isoTime(row.added_at),
    ...(row.current_key_id && row.current_since
      ? {
          currentKeyId: row.current_key_id,
          currentGeneration: row.current_generation ?? 1,
          currentSince: isoTime(row.current_since),
        }
      : {}),
    ...(row.last_key_id && row.last_at && row.last_outcome
      ? {
          lastDelivery: {
            keyId: row.last_key_id,
            keyName: row.last_key_name ?? '',
            generation: row.last_generation ?? 1,
            outcome: row.last_outcome as DeliveryOutcome,
            at: isoTime(row.last_at),
            ...(row.last_location ? { location: row.last_location } : {}),
            ...(row.last_error ? { error: row.last_error } : {}),
          },
        }
      : {}),
  };
  return target;
}

const declaredKey = (identity: string, target: string) =>
  `${identity}\n${target}`;

/** The knex implementation of {@link DeliveryTargetStore}, for SQLite and PostgreSQL. */
export class DatabaseDeliveryTargetStore implements DeliveryTargetStore {
  static create(options: { db: Knex }) {
    return new DatabaseDeliveryTargetStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  private rowOf(target: NewDeliveryTarget): TargetRow {
    return {
      id: randomUUID(),
      entity_ref: target.entityRef,
      environment: target.environment,
      type: target.type,
      integration: target.integration ?? null,
      identity: keyIdentityOf(target),
      target: target.target,
      kind: target.kind,
      origin: target.origin,
      added_by: target.addedBy,
      added_at: new Date(),
      current_key_id: null,
      current_generation: null,
      current_since: null,
      last_key_id: null,
      last_key_name: null,
      last_generation: null,
      last_outcome: null,
      last_at: null,
      last_location: null,
      last_error: null,
    };
  }

  async add(target: NewDeliveryTarget): Promise<KeyDeliveryTarget> {
    const row = this.rowOf(target);
    try {
      await this.db<TargetRow>(TARGETS).insert(row);
    } catch (error) {
      if (isDatabaseConflictError(error)) {
        throw new ConflictError(
          `The key is delivered to ${target.target} already`,
        );
      }
      throw error;
    }
    return toTarget(row);
  }

  async get(id: string): Promise<KeyDeliveryTarget | undefined> {
    const row = await this.db<TargetRow>(TARGETS).where({ id }).first();
    return row && toTarget(row);
  }

  async remove(id: string): Promise<void> {
    await this.db<TargetRow>(TARGETS).where({ id }).delete();
  }

  async listByEntity(entityRef: string): Promise<KeyDeliveryTarget[]> {
    return this.listWhere(q =>
      q.where({ entity_ref: entityRef }).orderBy(['added_at', 'target']),
    );
  }

  async listByIdentity(spec: IngestionKeySpec): Promise<KeyDeliveryTarget[]> {
    return this.listWhere(q =>
      q
        .where({ identity: keyIdentityOf(spec) })
        .orderBy(['added_at', 'target']),
    );
  }

  async listFailed(limit: number): Promise<KeyDeliveryTarget[]> {
    return this.listWhere(q =>
      q
        .where({ last_outcome: 'failed' })
        .orderBy([
          { column: 'last_at', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(limit),
    );
  }

  private async listWhere(
    query: (q: Knex.QueryBuilder<TargetRow, TargetRow[]>) => Knex.QueryBuilder,
  ): Promise<KeyDeliveryTarget[]> {
    const rows: TargetRow[] = await query(this.db<TargetRow>(TARGETS));
    return rows.map(row => toTarget(row));
  }

  async listDue(limit: number): Promise<DueDelivery[]> {
    const rows: Array<TargetRow & { due_key_id: string }> = await this.db(
      `${TARGETS} as t`,
    )
      .join(`${KEYS} as k`, 'k.identity_slot', 't.identity')
      .where('k.status', 'active')
      .whereNot('t.kind', EXTERNAL_SECRETS_TARGET_KIND)
      .where(q =>
        q
          .whereNull('t.current_key_id')
          .orWhereRaw('?? <> ??', ['t.current_key_id', 'k.id']),
      )
      .orderBy(['t.added_at', 't.id'])
      .limit(limit)
      .select('t.*', 'k.id as due_key_id');
    return rows.map(row => ({
      target: toTarget(row),
      keyId: row.due_key_id,
    }));
  }

  async recordDelivery(
    targetId: string,
    delivery: NewDelivery,
  ): Promise<KeyDeliveryTarget> {
    const at = new Date();
    const succeeded = delivery.outcome !== 'failed';
    return this.db.transaction(async tx => {
      await tx(DELIVERIES).insert({
        target_id: targetId,
        key_id: delivery.keyId,
        key_name: delivery.keyName,
        generation: delivery.generation,
        outcome: delivery.outcome,
        at,
        location: delivery.location ?? null,
        error: delivery.error ?? null,
      });
      const before = await tx<TargetRow>(TARGETS)
        .where({ id: targetId })
        .first();
      const keyChanged = before?.current_key_id !== delivery.keyId;
      await tx<TargetRow>(TARGETS)
        .where({ id: targetId })
        .update({
          last_key_id: delivery.keyId,
          last_key_name: delivery.keyName,
          last_generation: delivery.generation,
          last_outcome: delivery.outcome,
          last_at: at,
          last_location: delivery.location ?? null,
          last_error: delivery.error ?? null,
          // A target holds the last key delivered to it, since that key first reached it.
          ...(succeeded && keyChanged
            ? {
                current_key_id: delivery.keyId,
                current_generation: delivery.generation,
                current_since: at,
              }
            : {}),
        });
      const row = await tx<TargetRow>(TARGETS).where({ id: targetId }).first();
      return toTarget(row!);
    });
  }

  async replaceDeclared(
    declared: NewDeliveryTarget[],
  ): Promise<{ added: number; removed: number }> {
    const existing: Array<
      Pick<TargetRow, 'id' | 'identity' | 'target' | 'origin'>
    > = await this.db<TargetRow>(TARGETS).select(
      'id',
      'identity',
      'target',
      'origin',
    );
    const held = new Set(existing.map(r => declaredKey(r.identity, r.target)));
    const wanted = new Map(
      declared.map(t => [declaredKey(keyIdentityOf(t), t.target), t]),
    );
    const missing = [...wanted]
      .filter(([key]) => !held.has(key))
      .map(([, target]) => this.rowOf(target));
    const undeclared = existing
      .filter(
        r =>
          r.origin === 'annotation' &&
          !wanted.has(declaredKey(r.identity, r.target)),
      )
      .map(r => r.id);
    for (let i = 0; i < missing.length; i += BATCH) {
      // A target a person adds meanwhile stays theirs; the rest still go in.
      await this.db<TargetRow>(TARGETS)
        .insert(missing.slice(i, i + BATCH))
        .onConflict(['identity', 'target'])
        .ignore();
    }
    for (let i = 0; i < undeclared.length; i += BATCH) {
      await this.db<TargetRow>(TARGETS)
        .whereIn('id', undeclared.slice(i, i + BATCH))
        .where({ origin: 'annotation' })
        .delete();
    }
    return { added: missing.length, removed: undeclared.length };
  }
}
