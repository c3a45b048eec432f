import { Knex } from 'knex';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ConflictError,
  NotFoundError,
  serializeError,
} from '@backstage/errors';
import {
  IngestionKeyAction,
  KEY_SORT_FIELDS,
  KeyListQuery,
  KeySortField,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { migrateDatabase } from './migrateDatabase';
import { DatabaseKeyRecordStore } from './DatabaseKeyRecordStore';
import { KeyRecord, NewKeyRecord } from './KeyRecordStore';
import { KeyNameTakenError } from './KeyNameTakenError';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const refOf = (entity: string) => `component:default/${entity}`;

/** Who the keys of these tests are created by, and the changes made. */
const byAlice = { actor: 'user:default/alice' };

/**
 * A manual production sensor key for `component:default/<entity>`, named after its identity.
 * Each test uses its own entities (and so its own names): the tests of one database share it.
 */
function newKey(
  entity: string,
  overrides: Partial<NewKeyRecord> = {},
): NewKeyRecord {
  const spec = {
    environment: 'production',
    type: 'sensor' as const,
    ...overrides,
  };
  return {
    entityRef: refOf(entity),
    name: [entity, spec.environment, spec.type, spec.integration]
      .filter(Boolean)
      .join('-'),
    remoteConfig: false,
    provider: 'embedded',
    origin: 'manual',
    createdBy: 'user:default/alice',
    generation: 1,
    ...spec,
  };
}

/** What a rejected promise threw; fails the test if it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    value => ({ resolved: value }),
    error => ({ rejected: error as Error }),
  );
  if (!('rejected' in outcome)) {
    throw new Error(`Expected a rejection, got ${JSON.stringify(outcome)}`);
  }
  return outcome.rejected;
}

const idsOf = (keys: Array<{ id: string }>) => keys.map(key => key.id);
const sortedIds = (keys: Array<{ id: string }>) => idsOf(keys).sort();

describe.each(databases.eachSupportedId())(
  'DatabaseKeyRecordStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseKeyRecordStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const db = await migrateDatabase(mockServices.database({ knex }));
      store = DatabaseKeyRecordStore.create({ db });
    });

    async function activeKey(
      entity: string,
      overrides: Partial<NewKeyRecord> = {},
    ): Promise<KeyRecord> {
      const reserved = await store.reserve(newKey(entity, overrides));
      return store.activate(reserved, {
        ...byAlice,
        providerKeyId: `provider-${reserved.name}`,
      });
    }

    /** Reserves the successor of a key, named like the old key with a suffix. */
    function reserveSuccessor(
      old: KeyRecord,
      overrides: Partial<NewKeyRecord> = {},
    ): Promise<KeyRecord> {
      return store.reserve(
        newKey(old.entityRef.replace('component:default/', ''), {
          origin: old.origin,
          name: `${old.name}-2`,
          generation: 2,
          replacesId: old.id,
          ...overrides,
        }),
      );
    }

    /** Sets a column the store fills with the current time, so orders can be asserted. */
    async function backdate(
      id: string,
      column: 'created_at' | 'undesired_since',
      iso: string,
    ) {
      await knex('ingestion_keys')
        .where({ id })
        .update({ [column]: new Date(iso) });
    }

    it('makes the key a revoked successor was to replace active again, or has it wait for a later successor', async () => {
      const activateSuccessor = async (old: KeyRecord, name: string) =>
        store.activate(
          await reserveSuccessor(old, {
            name,
            generation: old.generation + 1,
          }),
          byAlice,
        );
      const first = await activeKey('handback');
      const second = await activateSuccessor(first, 'handback-r2');
      const third = await activateSuccessor(second, 'handback-r3');

      // The third key holds the identity: the first now waits for it.
      await store.markRevoked(second.id, 'user:default/bob');
      expect(await store.get(first.id)).toMatchObject({
        status: 'rotating',
        replacedById: third.id,
      });

      await store.markRevoked(third.id, 'user:default/bob');
      const handedBack = await store.get(first.id);
      expect(handedBack).toMatchObject({ status: 'active' });
      expect(handedBack?.replacedById).toBeUndefined();
      // It holds its identity again: another key of it is refused, a successor is made.
      expect(
        await rejectionOf(store.reserve(newKey('handback', { name: 'other' }))),
      ).toBeInstanceOf(ConflictError);
      await expect(
        activateSuccessor(handedBack!, 'handback-r4'),
      ).resolves.toMatchObject({ status: 'active' });
    });

    it('reserves a pending key, activates it and reads it back', async () => {
      const before = Date.now();
      const reserved = await store.reserve(
        newKey('lifecycle', {
          integration: 'otel',
          remoteConfig: true,
          origin: 'provisioned',
          ownerRef: 'group:default/team-a',
        }),
      );
      expect(reserved).toEqual({
        id: expect.any(String),
        name: 'lifecycle-production-sensor-otel',
        entityRef: 'component:default/lifecycle',
        environment: 'production',
        type: 'sensor',
        integration: 'otel',
        remoteConfig: true,
        status: 'pending',
        origin: 'provisioned',
        provider: 'embedded',
        ownerRef: 'group:default/team-a',
        createdBy: 'user:default/alice',
        createdAt: expect.any(String),
        generation: 1,
      });
      const createdAt = Date.parse(reserved.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before);
      expect(createdAt).toBeLessThanOrEqual(Date.now());
      expect(await store.get(reserved.id)).toEqual(reserved);

      const activated = await store.activate(reserved, {
        ...byAlice,
        providerKeyId: 'provider-1',
        adopted: true,
      });
      // Adopted, it keeps the origin it was reserved with.
      expect(activated).toEqual({
        ...reserved,
        status: 'active',
        providerKeyId: 'provider-1',
      });
      expect(await store.get(reserved.id)).toEqual(activated);

      // Only a reservation can be activated.
      expect(
        await rejectionOf(
          store.activate(reserved, { ...byAlice, providerKeyId: 'x' }),
        ),
      ).toBeInstanceOf(NotFoundError);
      expect(await store.get('no-such-key')).toBeUndefined();
    });

    it('discards a reservation, freeing its identity and name, but never an active key', async () => {
      const reserved = await store.reserve(newKey('discard'));
      await store.discard(reserved.id);
      expect(await store.get(reserved.id)).toBeUndefined();

      const again = await store.reserve(newKey('discard'));
      expect(again).toMatchObject({
        name: reserved.name,
        status: 'pending',
      });
      expect(again.id).not.toBe(reserved.id);

      await store.activate(again, byAlice);
      await store.discard(again.id);
      expect(await store.get(again.id)).toMatchObject({ status: 'active' });
    });

    it('refuses a second key for an identity, comparing entity refs case-insensitively', async () => {
      const first = await store.reserve(
        newKey('mixed-case', { entityRef: 'Component:default/Mixed-Case' }),
      );
      const second = newKey('mixed-case', { name: 'mixed-case-other-name' });
      expect(second.entityRef).toBe('component:default/mixed-case');

      const whilePending = await rejectionOf(store.reserve(second));
      expect(whilePending).toBeInstanceOf(ConflictError);
      expect(whilePending.message).toContain(first.name);
      expect(whilePending.message).toContain(first.id);

      await store.activate(first, byAlice);
      const whileActive = await rejectionOf(store.reserve(second));
      expect(whileActive).toBeInstanceOf(ConflictError);
      expect(whileActive.message).toContain(first.name);

      // Any other environment, type or integration is another identity.
      await store.reserve(newKey('mixed-case', { environment: 'staging' }));
      await store.reserve(newKey('mixed-case', { type: 'rum' }));
      await store.reserve(newKey('mixed-case', { integration: 'otel' }));
      const { items } = await store.list({
        entityRef: 'component:default/mixed-case',
      });
      expect(items).toHaveLength(3);
    });

    it('refuses a second key with the same name for another identity, naming the holder only in its detail', async () => {
      const first = await store.reserve(
        newKey('named-a', { name: 'shared-name' }),
      );
      const error = (await rejectionOf(
        store.reserve(newKey('named-b', { name: 'shared-name' })),
      )) as KeyNameTakenError;
      expect(error).toBeInstanceOf(KeyNameTakenError);
      expect(error.message).toContain('shared-name');
      expect(error.message).not.toContain('component:default/named-a');
      expect(error.message).not.toContain(first.id);
      expect(JSON.stringify(serializeError(error))).not.toContain(first.id);
      expect(error.detail).toContain('component:default/named-a');
      expect(error.detail).toContain(first.id);
      expect(await store.list({ entityRef: refOf('named-b') })).toEqual({
        items: [],
        totalCount: 0,
      });
    });

    it('revokes a key: it stays as history and frees its identity and name', async () => {
      const key = await activeKey('revoke', { integration: 'otel' });
      const before = Date.now();
      const revoked = await store.markRevoked(key.id, 'user:default/bob');
      expect(revoked).toEqual({
        ...key,
        status: 'revoked',
        revokedBy: 'user:default/bob',
        revokedAt: expect.any(String),
      });
      const revokedAt = Date.parse(revoked.revokedAt!);
      expect(revokedAt).toBeGreaterThanOrEqual(before);
      expect(revokedAt).toBeLessThanOrEqual(Date.now());

      const successor = await store.reserve(
        newKey('revoke', { integration: 'otel' }),
      );
      expect(successor.name).toBe(key.name);
      expect(await store.get(key.id)).toEqual(revoked);

      // Revoking again changes nothing; a reservation or an unknown key cannot be revoked.
      expect(await store.markRevoked(key.id, 'user:default/carol')).toEqual(
        revoked,
      );
      const pending = await rejectionOf(
        store.markRevoked(successor.id, 'user:default/bob'),
      );
      expect(pending).toBeInstanceOf(ConflictError);
      expect(pending.message).toContain('pending');
      expect(
        await rejectionOf(store.markRevoked('no-such-key', 'user:default/bob')),
      ).toBeInstanceOf(NotFoundError);
    });

    it('lets exactly one of 20 concurrent reservations of an identity or a name through', async () => {
      const sameIdentity = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.reserve(newKey('race', { name: `race-name-${i}` })),
        ),
      );
      const sameName = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.reserve(
            newKey('race', { integration: `i${i}`, name: 'race-name' }),
          ),
        ),
      );

      for (const results of [sameIdentity, sameName]) {
        const fulfilled = results.filter(
          (r): r is PromiseFulfilledResult<KeyRecord> =>
            r.status === 'fulfilled',
        );
        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(19);
        const winner = fulfilled[0].value;
        for (const { reason } of rejected) {
          expect(reason).toBeInstanceOf(ConflictError);
          expect(reason.message).toContain(winner.id);
        }
      }
      const { items } = await store.list({ entityRef: refOf('race') });
      expect(items).toHaveLength(2);
    });

    it('rotates: an activated successor takes the identity and the old key turns rotating', async () => {
      const old = await activeKey('rotate');
      const successor = await reserveSuccessor(old);
      expect(successor).toMatchObject({
        status: 'pending',
        replacesId: old.id,
        generation: 2,
      });
      expect(await store.get(old.id)).toEqual(old);

      const activated = await store.activate(successor, {
        actor: 'user:default/bob',
        providerKeyId: 'provider-2',
      });
      expect(activated).toEqual({
        ...successor,
        status: 'active',
        providerKeyId: 'provider-2',
      });
      expect(await store.get(old.id)).toEqual({
        ...old,
        status: 'rotating',
        replacedById: successor.id,
      });

      // The successor now holds the identity; the old key holds its name until revoked.
      const identityTaken = await rejectionOf(
        store.reserve(newKey('rotate', { name: 'rotate-third' })),
      );
      expect(identityTaken).toBeInstanceOf(ConflictError);
      expect(identityTaken.message).toContain(successor.name);
      expect(
        await rejectionOf(
          store.reserve(newKey('rotate-elsewhere', { name: old.name })),
        ),
      ).toBeInstanceOf(ConflictError);

      await store.markRevoked(old.id, 'user:default/alice');
      expect(await store.get(successor.id)).toEqual(activated);
      await store.reserve(newKey('rotate-elsewhere', { name: old.name }));

      // Each change is in the history of the key it changed, by whoever made it.
      const historyOf = async (key: KeyRecord) =>
        (await store.listEvents({ keyId: key.id })).map(e => [
          e.keyName,
          e.action,
          e.actor,
        ]);
      expect(await historyOf(old)).toEqual([
        [old.name, 'revoked', 'user:default/alice'],
        [old.name, 'rotated', 'user:default/bob'],
        [old.name, 'created', 'user:default/alice'],
      ]);
      expect(await historyOf(successor)).toEqual([
        [successor.name, 'created', 'user:default/bob'],
      ]);
    });

    it('records an adoption as the key history, and nothing for a successor adopted', async () => {
      const old = await activeKey('adopt');
      const successor = await reserveSuccessor(old);
      await store.activate(successor, {
        actor: 'user:default/bob',
        adopted: true,
      });
      expect(
        (await store.listEvents({ entityRef: refOf('adopt') })).map(e => [
          e.keyId,
          e.action,
          e.actor,
        ]),
      ).toEqual([
        [successor.id, 'adopted', 'user:default/bob'],
        [old.id, 'created', 'user:default/alice'],
      ]);
    });

    it.each([
      ['create', 'a create (reserve and activate)', 5],
      ['rotate', 'a rotation (reserve and activate a successor)', 6],
      ['revoke', 'a revocation', 4],
    ])('writes %s: %s in %i database round trips', async (change, _, trips) => {
      const key = await activeKey(`round-trips-${change}`);
      const changes: Record<string, () => Promise<unknown>> = {
        create: async () =>
          store.activate(
            await store.reserve(newKey(`round-trips-${change}-new`)),
            byAlice,
          ),
        rotate: async () =>
          store.activate(await reserveSuccessor(key), byAlice),
        revoke: () => store.markRevoked(key.id, 'user:default/bob'),
      };
      const sql: string[] = [];
      const onQuery = (query: { sql: string }) => sql.push(query.sql);
      knex.on('query', onQuery);
      try {
        await changes[change]();
      } finally {
        knex.removeListener('query', onQuery);
      }
      expect(sql).toHaveLength(trips);
    });

    it('refuses a second successor for a key, and a successor of a key no longer active', async () => {
      const old = await activeKey('successors');
      const successor = (suffix: string) =>
        reserveSuccessor(old, { name: `${old.name}-${suffix}` });
      const results = await Promise.allSettled([
        successor('a'),
        successor('b'),
      ]);
      const fulfilled = results.filter(
        (r): r is PromiseFulfilledResult<KeyRecord> => r.status === 'fulfilled',
      );
      const rejected = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      const winner = fulfilled[0].value;
      expect(rejected[0].reason).toBeInstanceOf(ConflictError);
      expect(rejected[0].reason.message).toMatch(
        /already being created as the successor/,
      );
      expect(rejected[0].reason.message).toContain(winner.name);

      await store.markRevoked(old.id, 'user:default/bob');
      const error = await rejectionOf(store.activate(winner, byAlice));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toMatch(/no longer active/);
      expect(await store.get(winner.id)).toEqual(winner);
      // A refused change leaves no history.
      expect(await store.listEvents({ keyId: winner.id })).toEqual([]);

      await store.discard(winner.id);
      expect(await store.get(winner.id)).toBeUndefined();
    });

    it('lists keys by entity, environment, type, status, creator and owner', async () => {
      const alice = 'user:default/filters-alice';
      const teamA = 'group:default/filters-team-a';
      const k1 = await activeKey('filters-a', {
        createdBy: alice,
        ownerRef: teamA,
      });
      const k2 = await store.reserve(
        newKey('filters-a', {
          environment: 'staging',
          type: 'rum',
          createdBy: 'user:default/filters-bob',
          ownerRef: 'group:default/filters-team-b',
        }),
      );
      const k3 = await activeKey('filters-a', {
        type: 'thirdParty',
        integration: 'otel',
        createdBy: alice,
        ownerRef: teamA,
      });
      await store.markRevoked(k3.id, alice);
      const k4 = await activeKey('filters-b', {
        createdBy: alice,
        ownerRef: teamA,
      });

      const entityA = refOf('filters-a');
      const cases: Array<[KeyListQuery, Array<{ id: string }>]> = [
        [{ entityRef: entityA }, [k1, k2]],
        [{ entityRef: entityA, includeRevoked: true }, [k1, k2, k3]],
        [{ entityRef: entityA, status: 'revoked' }, [k3]],
        [{ entityRef: entityA, status: 'pending' }, [k2]],
        [{ entityRef: entityA, status: 'active' }, [k1]],
        [{ entityRef: entityA, environment: 'staging' }, [k2]],
        [{ entityRef: entityA, type: 'sensor' }, [k1]],
        [{ createdBy: alice }, [k1, k4]],
        [{ createdBy: alice, includeRevoked: true }, [k1, k3, k4]],
        [{ ownerRef: 'group:default/filters-team-b' }, [k2]],
        [{ ownerRef: teamA, entityRef: refOf('filters-b') }, [k4]],
      ];
      for (const [query, expected] of cases) {
        const { items, totalCount } = await store.list(query);
        expect({ query, ids: sortedIds(items), totalCount }).toEqual({
          query,
          ids: sortedIds(expected),
          totalCount: expected.length,
        });
      }
    });

    it('sorts by every sort field in both directions', async () => {
      // Every field orders the three keys differently.
      const k1 = await activeKey('sorting', {
        name: 'sort-a',
        type: 'thirdParty',
        environment: 'staging',
        createdBy: 'user:default/sort-b',
      });
      const k2 = await activeKey('sorting', {
        name: 'sort-b',
        type: 'rum',
        environment: 'production',
        createdBy: 'user:default/sort-a',
      });
      await store.markRevoked(k2.id, 'user:default/sort-a');
      const k3 = await store.reserve(
        newKey('sorting', {
          name: 'sort-c',
          type: 'sensor',
          environment: 'dev',
          createdBy: 'user:default/sort-c',
        }),
      );
      await backdate(k3.id, 'created_at', '2024-01-01T00:00:00Z');
      await backdate(k1.id, 'created_at', '2024-01-02T00:00:00Z');
      await backdate(k2.id, 'created_at', '2024-01-03T00:00:00Z');

      const ascending: Record<KeySortField, KeyRecord[]> = {
        name: [k1, k2, k3],
        type: [k2, k3, k1],
        environment: [k3, k2, k1],
        status: [k1, k3, k2],
        createdBy: [k2, k1, k3],
        createdAt: [k3, k1, k2],
      };
      expect(Object.keys(ascending).sort()).toEqual(
        [...KEY_SORT_FIELDS].sort(),
      );
      const listed = async (query: KeyListQuery) =>
        idsOf(
          (
            await store.list({
              entityRef: refOf('sorting'),
              includeRevoked: true,
              ...query,
            })
          ).items,
        );
      for (const orderBy of KEY_SORT_FIELDS) {
        const expected = idsOf(ascending[orderBy]);
        for (const [order, ids] of [
          ['asc', expected],
          ['desc', [...expected].reverse()],
        ] as const) {
          expect({
            orderBy,
            order,
            ids: await listed({ orderBy, order }),
          }).toEqual({ orderBy, order, ids });
        }
        // A sort field alone sorts ascending.
        expect({ orderBy, ids: await listed({ orderBy }) }).toEqual({
          orderBy,
          ids: expected,
        });
      }
      // Without a sort field: newest first.
      expect(await listed({})).toEqual(idsOf([k2, k1, k3]));
    });

    it('pages with limit and offset and counts every match', async () => {
      const keys: KeyRecord[] = [];
      for (const integration of ['i3', 'i1', 'i5', 'i2', 'i4']) {
        keys.push(await activeKey('paging', { integration }));
      }
      const gone = await activeKey('paging', { integration: 'gone' });
      await store.markRevoked(gone.id, 'user:default/alice');
      const byName = idsOf(
        [...keys].sort((a, b) => a.name.localeCompare(b.name)),
      );

      const page = (limit: number, offset?: number) =>
        store.list({
          entityRef: refOf('paging'),
          orderBy: 'name',
          limit,
          offset,
        });
      for (const offset of [0, 2, 4]) {
        const { items, totalCount } = await page(2, offset);
        expect({ offset, ids: idsOf(items), totalCount }).toEqual({
          offset,
          ids: byName.slice(offset, offset + 2),
          totalCount: 5,
        });
      }
      expect(await page(2, 10)).toEqual({ items: [], totalCount: 5 });
      expect((await page(5)).totalCount).toBe(5);
      expect((await page(10)).totalCount).toBe(5);
      expect(idsOf((await page(10)).items)).toEqual(byName);
    });

    it('lists events newest first, by key or by entity, up to a limit', async () => {
      const before = Date.now();
      // Their creations are recorded as they are activated.
      const a = await activeKey('events-a');
      const b = await activeKey('events-a', { environment: 'staging' });
      const c = await activeKey('events-c');
      const history: Array<[KeyRecord, IngestionKeyAction, string]> = [
        [a, 'revealed', 'bob'],
        [b, 'revealed', 'carol'],
        [a, 'revealed', 'dave'],
      ];
      for (const [key, action, user] of history) {
        await store.addEvent({ key, action, actor: `user:default/${user}` });
      }

      const byKey = await store.listEvents({ keyId: a.id });
      expect(byKey.map(e => [e.action, e.actor])).toEqual([
        ['revealed', 'user:default/dave'],
        ['revealed', 'user:default/bob'],
        ['created', 'user:default/alice'],
      ]);
      expect(byKey[1]).toEqual({
        id: expect.any(String),
        keyId: a.id,
        keyName: a.name,
        entityRef: refOf('events-a'),
        action: 'revealed',
        actor: 'user:default/bob',
        at: expect.any(String),
      });
      for (const event of byKey) {
        expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(event.at)).toBeLessThanOrEqual(Date.now());
      }

      const byEntity = await store.listEvents({ entityRef: refOf('events-a') });
      expect(byEntity.map(e => [e.keyId, e.action])).toEqual([
        [a.id, 'revealed'],
        [b.id, 'revealed'],
        [a.id, 'revealed'],
        [b.id, 'created'],
        [a.id, 'created'],
      ]);
      const limited = await store.listEvents({
        entityRef: refOf('events-a'),
        limit: 2,
      });
      expect(limited).toEqual(byEntity.slice(0, 2));
      expect(
        (await store.listEvents({ entityRef: refOf('events-c') })).map(
          e => e.keyId,
        ),
      ).toEqual([c.id]);
    });

    it('marks keys undesired once, lists them by entity and clears them', async () => {
      const provisioned = { origin: 'provisioned' as const };
      const a = await activeKey('undesired-a', provisioned);
      const b = await activeKey('undesired-a', {
        ...provisioned,
        environment: 'staging',
      });
      const c = await activeKey('undesired-c', provisioned);

      await store.markUndesired([a.id], 'entity-removed');
      await backdate(a.id, 'undesired_since', '2024-01-01T00:00:00Z');
      const before = Date.now();
      await store.markUndesired([a.id, b.id, c.id], 'entry-removed');

      expect(await store.get(a.id)).toEqual({
        ...a,
        undesiredSince: '2024-01-01T00:00:00.000Z',
        undesiredReason: 'entity-removed',
      });
      const markedB = await store.get(b.id);
      expect(markedB).toEqual({
        ...b,
        undesiredSince: expect.any(String),
        undesiredReason: 'entry-removed',
      });
      expect(Date.parse(markedB!.undesiredSince!)).toBeGreaterThanOrEqual(
        before,
      );

      const undesired = (limit?: number) =>
        store.listUndesired({ entityRef: refOf('undesired-a'), limit });
      expect(idsOf(await undesired())).toEqual([a.id, b.id]);
      expect(idsOf(await undesired(1))).toEqual([a.id]);
      expect(
        idsOf(await store.listUndesired({ entityRef: refOf('undesired-c') })),
      ).toEqual([c.id]);

      await store.clearUndesired([a.id]);
      expect(await store.get(a.id)).toEqual(a);
      expect(idsOf(await undesired())).toEqual([b.id]);

      // Only active keys are listed: a revoked key is no longer a concern.
      await store.markRevoked(b.id, 'user:default/alice');
      expect(await undesired()).toEqual([]);
    });

    it('streams active provisioned and adopted keys in pages of the requested size', async () => {
      const provisioned = { origin: 'provisioned' as const };
      const expected: KeyRecord[] = [
        await activeKey('stream-a', provisioned),
        await activeKey('stream-a', { ...provisioned, environment: 'staging' }),
        await activeKey('stream-a', { ...provisioned, type: 'rum' }),
        await activeKey('stream-b', provisioned),
      ];
      const adopted = await store.reserve(newKey('stream-c', provisioned));
      expected.push(
        await store.activate(adopted, { ...byAlice, adopted: true }),
      );

      // Left out: a reservation, a manual key, a revoked key and a rotating key.
      await store.reserve(newKey('stream-d', provisioned));
      await activeKey('stream-e');
      const revoked = await activeKey('stream-f', provisioned);
      await store.markRevoked(revoked.id, 'user:default/alice');
      const rotated = await activeKey('stream-g', provisioned);
      const successor = await reserveSuccessor(rotated);
      expected.push(await store.activate(successor, byAlice));

      const pages: KeyRecord[][] = [];
      for await (const page of store.streamProvisioned(2)) {
        pages.push(page);
      }
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages.slice(0, -1).every(page => page.length === 2)).toBe(true);
      expect(pages[pages.length - 1].length).toBeGreaterThanOrEqual(1);
      expect(pages[pages.length - 1].length).toBeLessThanOrEqual(2);

      const streamed = pages.flat();
      expect(new Set(idsOf(streamed)).size).toBe(streamed.length);
      for (const key of streamed) {
        expect(key.status).toBe('active');
        expect(['provisioned', 'adopted']).toContain(key.origin);
      }
      const mine = streamed.filter(key =>
        key.entityRef.startsWith('component:default/stream-'),
      );
      expect(sortedIds(mine)).toEqual(sortedIds(expected));
    });

    it('streams the reservations made at or before a time', async () => {
      const pending = await store.reserve(newKey('stale'));
      await activeKey('stale', { environment: 'staging' });
      const madeAt = Date.parse(pending.createdAt);
      const streamed = async (before: number) => {
        const found: KeyRecord[] = [];
        for await (const page of store.streamStalePending(new Date(before))) {
          found.push(...page.filter(key => key.entityRef === refOf('stale')));
        }
        return idsOf(found);
      };
      expect(await streamed(madeAt - 1)).toEqual([]);
      expect(await streamed(madeAt)).toEqual([pending.id]);
    });

    it('finds the live keys of a batch of entities', async () => {
      const a = await activeKey('batch-a');
      const pending = await store.reserve(
        newKey('batch-a', { environment: 'staging' }),
      );
      const revoked = await activeKey('batch-a', { type: 'rum' });
      await store.markRevoked(revoked.id, 'user:default/alice');
      const rotated = await activeKey('batch-b');
      const successor = await reserveSuccessor(rotated);
      const activeSuccessor = await store.activate(successor, byAlice);
      await activeKey('batch-c');

      const found = await store.findByEntities([
        refOf('batch-a'),
        refOf('batch-b'),
      ]);
      expect(sortedIds(found)).toEqual(
        sortedIds([a, pending, activeSuccessor]),
      );
      expect(found.find(key => key.id === a.id)).toEqual(a);
      expect(await store.findByEntities([])).toEqual([]);
    });
  },
);
