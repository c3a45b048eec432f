import { Knex } from 'knex';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { migrateDatabase } from './migrateDatabase';
import { DatabaseDeliveryTargetStore } from './DatabaseDeliveryTargetStore';
import { DatabaseKeyRecordStore } from './DatabaseKeyRecordStore';
import { NewDeliveryTarget } from './DeliveryTargetStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const spec = (entity: string) => ({
  entityRef: `component:default/${entity}`,
  environment: 'production',
  type: 'sensor' as const,
});

const target = (
  entity: string,
  to: string,
  origin: 'annotation' | 'manual' = 'annotation',
): NewDeliveryTarget => ({
  ...spec(entity),
  target: to,
  kind: to.split(':')[0],
  pull: to.startsWith('external-secrets:'),
  origin,
  addedBy: 'user:default/alice',
});

describe.each(databases.eachSupportedId())(
  'DatabaseDeliveryTargetStore on %s',
  databaseId => {
    let knex: Knex;
    let targets: DatabaseDeliveryTargetStore;
    let records: DatabaseKeyRecordStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      const db = await migrateDatabase(mockServices.database({ knex }));
      targets = DatabaseDeliveryTargetStore.create({ db });
      records = DatabaseKeyRecordStore.create({ db });
    });

    /** An active key of the entity's production sensor identity. */
    async function activeKey(entity: string) {
      const reserved = await records.reserve({
        ...spec(entity),
        name: `${entity}-production-sensor`,
        remoteConfig: false,
        provider: 'embedded',
        origin: 'manual',
        createdBy: 'user:default/alice',
        generation: 1,
      });
      return records.activate(reserved, { actor: 'user:default/alice' });
    }

    it('keeps one target per identity and address', async () => {
      await targets.add(target('a', 'memory:x', 'manual'));
      await expect(
        targets.add(target('a', 'memory:x', 'manual')),
      ).rejects.toThrow(ConflictError);
      await targets.add(target('b', 'memory:x', 'manual'));
      expect(
        (await targets.listByEntity('component:default/b')).map(t => t.target),
      ).toEqual(['memory:x']);
    });

    it('lists as due the push targets whose identity has an active key they do not hold', async () => {
      const memory = await targets.add(target('a', 'memory:x'));
      await targets.add(target('a', 'external-secrets:eu'));
      await targets.add(target('no-key', 'memory:y'));
      expect(await targets.listDue(10)).toEqual([]);

      const key = await activeKey('a');
      expect(await targets.listDue(10)).toEqual([
        { target: expect.objectContaining({ id: memory.id }), keyId: key.id },
      ]);

      const failed = await targets.recordDelivery(memory.id, {
        keyId: key.id,
        keyName: key.name,
        generation: 1,
        outcome: 'failed',
        error: 'down',
      });
      expect(failed.currentKeyId).toBeUndefined();
      expect(await targets.listDue(10)).toHaveLength(1);
      expect((await targets.listFailed(10)).map(t => t.id)).toEqual([
        memory.id,
      ]);

      const delivered = await targets.recordDelivery(memory.id, {
        keyId: key.id,
        keyName: key.name,
        generation: 1,
        outcome: 'delivered',
        location: 'memory x',
      });
      expect(delivered).toMatchObject({
        currentKeyId: key.id,
        currentGeneration: 1,
        lastDelivery: { outcome: 'delivered', location: 'memory x' },
      });
      expect(delivered.lastDelivery?.error).toBeUndefined();
      expect(await targets.listDue(10)).toEqual([]);
      expect(await targets.listFailed(10)).toEqual([]);

      // Delivered again (a retry), the target has held the key since the first delivery.
      const again = await targets.recordDelivery(memory.id, {
        keyId: key.id,
        keyName: key.name,
        generation: 1,
        outcome: 'delivered',
      });
      expect(again.currentSince).toBe(delivered.currentSince);
      expect(
        await knex('ingestion_key_deliveries').where({ target_id: memory.id }),
      ).toHaveLength(3);
    });

    it('replaces the declared targets, keeping those people added', async () => {
      await targets.add(target('a', 'memory:manual', 'manual'));
      await targets.add(target('a', 'memory:both', 'manual'));
      expect(
        await targets.replaceDeclared([
          target('a', 'memory:declared'),
          target('a', 'memory:both'),
          target('b', 'memory:declared'),
        ]),
      ).toEqual({ added: 2, removed: 0 });
      expect(
        await targets.replaceDeclared([target('b', 'memory:declared')]),
      ).toEqual({ added: 0, removed: 1 });
      const left = await knex('ingestion_key_targets')
        .orderBy(['entity_ref', 'target'])
        .select('entity_ref', 'target', 'origin');
      expect(left).toEqual([
        {
          entity_ref: 'component:default/a',
          target: 'memory:both',
          origin: 'manual',
        },
        {
          entity_ref: 'component:default/a',
          target: 'memory:manual',
          origin: 'manual',
        },
        {
          entity_ref: 'component:default/b',
          target: 'memory:declared',
          origin: 'annotation',
        },
      ]);
    });
  },
);
