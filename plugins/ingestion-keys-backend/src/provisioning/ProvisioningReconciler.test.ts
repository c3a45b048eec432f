import { DeliveryService } from '../delivery/DeliveryService';
import { DatabaseDeliveryTargetStore } from '../database/DatabaseDeliveryTargetStore';
import { Knex } from 'knex';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  generateKeyName,
  keyTagsFor,
  PROVISIONER,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  CreateStoredKeyRequest,
  IngestionKeyStore,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { InMemoryKeyStore } from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { migrateDatabase } from '../database/migrateDatabase';
import { DatabaseKeyRecordStore } from '../database/DatabaseKeyRecordStore';
import { KeyRecordStore } from '../database/KeyRecordStore';
import { ProvisioningRunStore } from '../database/ProvisioningRunStore';
import { EmbeddedKeyStore } from '../stores/EmbeddedKeyStore';
import { SecretCipher } from '../stores/SecretCipher';
import { IngestionKeysService } from '../service/IngestionKeysService';
import { readIngestionKeysConfig } from '../service/readIngestionKeysConfig';
import { ProvisioningReconciler } from './ProvisioningReconciler';
import { ProvisioningService } from './ProvisioningService';
import { OutputRecorder } from '../__testUtils__/recordingServices';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** The provisioning options of an empty config. */
const CONFIG = readIngestionKeysConfig(new ConfigReader({}));
const DEFAULTS = CONFIG.provisioning!;

/** Longer than any test runs. */
const NEVER_MS = 60_000;

function entity(name: string, provision?: string, kind = 'Component'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ...(provision
        ? { annotations: { 'ingestion-keys/provision': provision } }
        : {}),
    },
    spec: { owner: 'group:default/team-a' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
  };
}

/** Counts the calls a reconciler makes to its key store. */
function countingStore(store: IngestionKeyStore) {
  const calls = { list: 0, create: 0 };
  const counted: IngestionKeyStore = {
    id: store.id,
    list: () => {
      calls.list++;
      return store.list();
    },
    create: request => {
      calls.create++;
      return store.create(request);
    },
    get: (name, options) => store.get(name, options),
    delete: name => store.delete(name),
  };
  return { store: counted, calls };
}

async function fixture(
  knex: Knex,
  entities: Entity[],
  options: {
    records?: (records: KeyRecordStore) => KeyRecordStore;
    keyStore?: IngestionKeyStore;
    pendingTimeoutMs?: number;
    revokeUndesiredAfterMs?: number;
    maxEntriesPerEntity?: number;
    maxLiveKeysPerEntity?: number;
  } = {},
) {
  const db = await migrateDatabase(mockServices.database({ knex }));
  const baseRecords = DatabaseKeyRecordStore.create({ db });
  const records = options.records?.(baseRecords) ?? baseRecords;
  const runs = ProvisioningRunStore.create({ db });
  const counting = countingStore(
    options.keyStore ??
      EmbeddedKeyStore.create({
        db,
        cipher: SecretCipher.fromString(Buffer.alloc(32, 1).toString('base64')),
      }),
  );
  const settings = {
    environments: ['production', 'staging'],
    types: ['sensor', 'rum', 'thirdParty'] as any,
    provider: counting.store.id,
    namingPattern: '{name}-{environment}-{type}-{integration}',
    snippets: { otlpEndpoint: 'x', rumDsn: 'y' },
  };
  const recorder = new OutputRecorder();
  const maxLiveKeysPerEntity =
    options.maxLiveKeysPerEntity ?? CONFIG.maxLiveKeysPerEntity;
  const service = IngestionKeysService.create({
    records,
    keyStore: counting.store,
    settings,
    managedBy: 'backstage',
    maxLiveKeysPerEntity,
    logger: mockServices.logger.mock(),
    auditor: recorder.auditor(),
  });
  const catalog = catalogServiceMock({ entities });
  const reconciler = ProvisioningReconciler.create({
    catalog,
    auth: mockServices.auth(),
    service,
    records,
    runs,
    keyStore: counting.store,
    deliveries: DeliveryService.create({
      targets: DatabaseDeliveryTargetStore.create({ db }),
      keys: service,
      providers: new Map(),
      externalSecretsStores: new Map(),
      managedBy: 'backstage',
      concurrency: 4,
      deliveryTimeoutMs: 5000,
      logger: mockServices.logger.mock(),
      auditor: recorder.auditor(),
    }),
    logger: mockServices.logger.mock(),
    ...DEFAULTS,
    pageSize: 2,
    ...(options.pendingTimeoutMs !== undefined
      ? { pendingTimeoutMs: options.pendingTimeoutMs }
      : {}),
    ...(options.revokeUndesiredAfterMs !== undefined
      ? { revokeUndesiredAfterMs: options.revokeUndesiredAfterMs }
      : {}),
    ...(options.maxEntriesPerEntity !== undefined
      ? { maxEntriesPerEntity: options.maxEntriesPerEntity }
      : {}),
  });
  const status = ProvisioningService.create({
    records: baseRecords,
    runs,
    scheduler: mockServices.scheduler.mock(),
    environments: settings.environments,
    maxEntriesPerEntity:
      options.maxEntriesPerEntity ?? DEFAULTS.maxEntriesPerEntity,
  });
  return {
    db,
    records: baseRecords,
    service,
    reconciler,
    auditRecords: recorder.auditRecords,
    calls: counting.calls,
    store: counting.store,
    status,
  };
}

/** Runs `action` with this process's clock (Date only; timers keep running) off by `offsetMs`. */
async function withClockOffBy<T>(
  offsetMs: number,
  action: () => Promise<T>,
): Promise<T> {
  jest.useFakeTimers({
    now: Date.now() + offsetMs,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await action();
  } finally {
    jest.useRealTimers();
  }
}

const liveKeys = (db: Knex) =>
  db('ingestion_keys').whereNot('status', 'revoked').orderBy('name').select();

describe.each(databases.eachSupportedId())(
  'ProvisioningReconciler on %s',
  (databaseId: TestDatabaseId) => {
    const catalog = [
      entity(
        'checkout',
        'production:sensor, production:thirdParty:otel-collector, staging:rum',
      ),
      entity('search', 'staging:sensor'),
      entity('queue', 'production:thirdParty:firehose', 'Resource'),
      entity('plain'),
    ];

    it('creates exactly the declared keys, then nothing on the second run', async () => {
      const knex = await databases.init(databaseId);
      const { db, reconciler, calls, auditRecords } = await fixture(
        knex,
        catalog,
      );

      const first = await reconciler.run();
      expect(first).toMatchObject({
        entitiesSeen: 3,
        keysDesired: 5,
        keysCreated: 5,
        keysAdopted: 0,
        failed: [],
        storeCalls: { list: 1, create: 5 },
      });
      const keys = await liveKeys(db);
      expect(keys.map(k => k.name)).toEqual([
        'checkout-production-sensor',
        'checkout-production-thirdparty-otel-collector',
        'checkout-staging-rum',
        expect.stringMatching(
          /^queue-production-thirdparty-firehose-[a-z0-9]{6}$/,
        ),
        'search-staging-sensor',
      ]);
      for (const key of keys) {
        expect(key).toMatchObject({
          status: 'active',
          origin: 'provisioned',
          created_by: PROVISIONER,
          owner_ref: 'group:default/team-a',
        });
        // Sensor keys may read their remote configuration; the others are write-only.
        expect(Boolean(key.remote_config)).toBe(key.type === 'sensor');
      }

      // Each creation is audited, as the provisioner, like changes made on a request.
      const audited = auditRecords.map(r => JSON.parse(r));
      expect(audited).toHaveLength(5);
      for (const event of audited) {
        expect(event).toMatchObject({
          eventId: 'key-create',
          status: 'succeeded',
          meta: { actor: PROVISIONER },
        });
      }
      expect(audited.map(e => e.meta.keyName).sort()).toEqual(
        keys.map(k => k.name),
      );

      const second = await reconciler.run();
      expect(second).toMatchObject({
        keysCreated: 0,
        keysAdopted: 0,
        failed: [],
      });
      expect(auditRecords).toHaveLength(5);
      expect(calls).toEqual({ list: 2, create: 5 });
      expect(await liveKeys(db)).toHaveLength(5);
    });

    it('creates each key once when two reconcilers race on one database', async () => {
      const knex = await databases.init(databaseId);
      const a = await fixture(knex, catalog);
      const b = await fixture(knex, catalog, { keyStore: a.store });
      const [ra, rb] = await Promise.all([
        a.reconciler.run(),
        b.reconciler.run(),
      ]);
      expect(ra.keysCreated + rb.keysCreated).toBe(5);
      expect([...ra.failed, ...rb.failed]).toEqual([]);
      expect(await liveKeys(a.db)).toHaveLength(5);
      expect(await a.store.list()).toHaveLength(5);
    });

    it('reports invalid entries and still applies the valid ones', async () => {
      const knex = await databases.init(databaseId);
      const broken = entity(
        'broken',
        'production:sensor, moon:sensor, staging:apm',
      );
      const { reconciler, status } = await fixture(knex, [broken]);
      const report = await reconciler.run();
      expect(report.keysCreated).toBe(1);
      expect(report.invalidEntries).toEqual([
        {
          entityRef: 'component:default/broken',
          entry: 'moon:sensor',
          reason: expect.stringContaining('unknown environment'),
        },
        {
          entityRef: 'component:default/broken',
          entry: 'staging:apm',
          reason: expect.stringContaining('unknown type'),
        },
      ]);
      const entityStatus = await status.entityStatus(broken, {
        detailed: true,
      });
      expect(entityStatus.entries).toEqual([
        expect.objectContaining({
          entry: 'production:sensor',
          state: 'provisioned',
          keyName: 'broken-production-sensor',
        }),
      ]);
      expect(entityStatus.invalidEntries).toHaveLength(2);
    });

    const FOUR_ENTRIES =
      'production:sensor, production:rum, staging:sensor, staging:rum';
    it.each([
      {
        bound: 'an integration longer than the keys table holds',
        annotation: `production:sensor, staging:thirdParty:${'a'.repeat(64)}`,
        limits: {},
        created: 1,
        invalid: [
          {
            entry: `staging:thirdParty:${'a'.repeat(64)}`,
            reason: 'integration is 64 characters long; at most 63 are allowed',
          },
        ],
        failed: [] as string[],
      },
      {
        bound: 'maxEntriesPerEntity',
        annotation: FOUR_ENTRIES,
        limits: { maxEntriesPerEntity: 2 },
        created: 2,
        invalid: [
          {
            entry: 'staging:sensor',
            reason: expect.stringContaining(
              'at most 2 entries (ingestionKeys.provisioning.maxEntriesPerEntity)',
            ),
          },
        ],
        failed: [],
      },
      {
        bound: 'maxLiveKeysPerEntity',
        annotation: FOUR_ENTRIES,
        limits: { maxLiveKeysPerEntity: 2 },
        created: 2,
        invalid: [],
        failed: Array(2).fill(
          'component:default/many already has 2 live ingestion keys, the most ingestionKeys.maxLiveKeysPerEntity allows; revoke one first',
        ),
      },
    ])(
      'keeps within $bound, every run, and says so to the entity',
      async ({ annotation, limits, created, invalid, failed }) => {
        const knex = await databases.init(databaseId);
        const many = entity('many', annotation);
        const { db, reconciler, status } = await fixture(knex, [many], limits);
        for (const expectedCreated of [created, 0]) {
          const report = await reconciler.run();
          expect(report.keysCreated).toBe(expectedCreated);
          expect(report.invalidEntries).toEqual(
            invalid.map(e => ({ entityRef: 'component:default/many', ...e })),
          );
          expect(report.failed.map(f => f.reason)).toEqual(failed);
        }
        expect(await liveKeys(db)).toHaveLength(created);
        // What the entity's readers are told: the limits are the portal's own rules.
        const readers = await status.entityStatus(many, { detailed: false });
        expect(readers.invalidEntries).toEqual(
          invalid.map(e => ({ entityRef: 'component:default/many', ...e })),
        );
        expect(
          readers.entries.filter(e => e.state === 'failed').map(e => e.reason),
        ).toEqual(failed);
      },
    );

    it('takes a key back when its record cannot be written, and creates it once on the next run', async () => {
      const knex = await databases.init(databaseId);
      let failActivation = true;
      const { db, reconciler, store, calls } = await fixture(
        knex,
        [entity('checkout', 'production:sensor')],
        {
          records: records => ({
            ...bindAll(records),
            activate: async (reservation, change) => {
              if (failActivation) {
                failActivation = false;
                throw new Error('connection to the database was lost');
              }
              return records.activate(reservation, change);
            },
          }),
        },
      );
      const first = await reconciler.run();
      expect(first.failed).toEqual([
        expect.objectContaining({
          entry: 'production:sensor',
          reason: 'connection to the database was lost',
        }),
      ]);
      expect(await store.list()).toEqual([]);
      expect(await liveKeys(db)).toEqual([]);

      const second = await reconciler.run();
      expect(second).toMatchObject({ keysCreated: 1, failed: [] });
      expect(calls.create).toBe(2);
      expect(await store.list()).toHaveLength(1);
      expect((await liveKeys(db))[0]).toMatchObject({ status: 'active' });
    });

    it('heals a crash between the key store and the database write by adoption', async () => {
      const knex = await databases.init(databaseId);
      const { db, reconciler, store, calls, records } = await fixture(
        knex,
        [entity('checkout', 'production:sensor')],
        { pendingTimeoutMs: 0 },
      );
      // What a reconciler that died after the key store call leaves behind.
      const spec = {
        entityRef: 'component:default/checkout',
        environment: 'production',
        type: 'sensor' as const,
      };
      const name = generateKeyName({ ...spec, generation: 1 });
      await records.reserve({
        ...spec,
        name,
        remoteConfig: false,
        provider: store.id,
        origin: 'provisioned',
        createdBy: PROVISIONER,
        generation: 1,
      });
      await store.create({
        name,
        type: 'sensor',
        remoteConfig: false,
        tags: keyTagsFor(spec, 'backstage'),
      });

      const report = await reconciler.run();
      expect(report).toMatchObject({
        keysCreated: 0,
        keysAdopted: 1,
        failed: [],
      });
      expect(calls.create).toBe(1);
      const [key] = await liveKeys(db);
      expect(key).toMatchObject({
        name,
        status: 'active',
        origin: 'provisioned',
      });
      expect(await store.list()).toHaveLength(1);
    });

    it('settles manual creates and rotations whose creator died, keeping them manual', async () => {
      const knex = await databases.init(databaseId);
      // Revoking at once what nothing declares: a settled manual key must never count as such.
      const { db, reconciler, store, records, service } = await fixture(
        knex,
        [],
        { pendingTimeoutMs: 0, revokeUndesiredAfterMs: 0 },
      );
      const alice = { actor: 'user:default/alice' };
      const checkoutRum = (environment: string, integration?: string) => ({
        entityRef: 'component:default/checkout',
        environment,
        type: 'rum' as const,
        ...(integration ? { integration } : {}),
      });
      /** What a create that died leaves: its reservation, and its key when it got that far. */
      const leftBehind = async (
        spec: ReturnType<typeof checkoutRum>,
        made: boolean,
        successorOf?: { id: string; generation: number },
      ) => {
        const generation = successorOf ? successorOf.generation + 1 : 1;
        const name = generateKeyName({ ...spec, generation: generation });
        await records.reserve({
          ...spec,
          name,
          remoteConfig: false,
          provider: store.id,
          origin: 'manual',
          createdBy: alice.actor,
          generation,
          replacesId: successorOf?.id,
        });
        if (made) {
          await store.create({
            name,
            type: spec.type,
            remoteConfig: false,
            tags: keyTagsFor(spec, 'backstage'),
          });
        }
        return name;
      };

      // Died after the store call: the key is adopted.
      const adopted = await leftBehind(checkoutRum('production'), true);
      // Died before it: the reservation is dropped.
      await leftBehind(checkoutRum('staging'), false);
      // A rotation whose old key was revoked before the successor was recorded: both go.
      const web = checkoutRum('staging', 'web');
      const { key: old } = await service.createKey(web, alice);
      await leftBehind(web, true, { id: old.id, generation: 1 });
      await service.revokeKey((await records.get(old.id))!, alice);
      // A rotation that died after the store call: its successor takes over.
      const otel = checkoutRum('production', 'otel');
      const { key: rotated } = await service.createKey(otel, alice);
      const successor = await leftBehind(otel, true, {
        id: rotated.id,
        generation: 1,
      });

      const report = await reconciler.run();
      expect(report).toMatchObject({
        keysAdopted: 2,
        undesiredCount: 0,
        keysRevoked: 0,
        failed: [],
      });
      expect(
        (await liveKeys(db)).map(k => [k.name, k.status, k.origin]),
      ).toEqual([
        [adopted, 'active', 'manual'],
        [rotated.name, 'rotating', 'manual'],
        [successor, 'active', 'manual'],
      ]);
      expect((await store.list()).map(k => k.name).sort()).toEqual(
        [adopted, rotated.name, successor].sort(),
      );
    });

    it.each([
      {
        whose: "the reconciling instance's clock runs ahead",
        reserveOff: 0,
        runOff: 1,
      },
      {
        whose: "the reserving instance's clock runs behind",
        reserveOff: -1,
        runOff: 0,
      },
    ])(
      "tells a reservation's age by the database's clock when $whose",
      async ({ reserveOff, runOff }) => {
        const knex = await databases.init(databaseId);
        const hour = 60 * 60_000;
        const { db, reconciler, store, records } = await fixture(knex, [], {
          pendingTimeoutMs: 5 * 60_000,
        });
        const spec = {
          entityRef: 'component:default/checkout',
          environment: 'production',
          type: 'rum' as const,
        };
        const name = generateKeyName({ ...spec, generation: 1 });
        // A create still in flight: reserved, and its key made a moment ago.
        await withClockOffBy(reserveOff * hour, () =>
          records.reserve({
            ...spec,
            name,
            remoteConfig: false,
            provider: store.id,
            origin: 'manual',
            createdBy: 'user:default/alice',
            generation: 1,
          }),
        );
        await store.create({
          name,
          type: spec.type,
          remoteConfig: false,
          tags: keyTagsFor(spec, 'backstage'),
        });

        const report = await withClockOffBy(runOff * hour, () =>
          reconciler.run(),
        );
        expect(report.keysAdopted).toBe(0);
        expect((await liveKeys(db)).map(k => [k.name, k.status])).toEqual([
          [name, 'pending'],
        ]);
      },
    );

    it("stops between pages once the scheduler's signal aborts the run, and saves why", async () => {
      const knex = await databases.init(databaseId);
      const aborting = new AbortController();
      const inner = InMemoryKeyStore.create();
      const { db, reconciler, status } = await fixture(
        knex,
        [
          entity('a', 'production:sensor'),
          entity('b', 'production:sensor'),
          entity('c', 'production:sensor'),
        ],
        {
          // The run outlives its timeout while it makes the first page's keys.
          keyStore: Object.assign(bindAll(inner), {
            id: inner.id,
            create: (request: CreateStoredKeyRequest) => {
              aborting.abort();
              return inner.create(request);
            },
          }),
        },
      );

      await expect(reconciler.run(aborting.signal)).rejects.toThrow(
        'the run was aborted by the scheduler',
      );
      const { lastRun } = await status.overview();
      expect(lastRun).toMatchObject({
        entitiesSeen: 2,
        keysCreated: 2,
        error: expect.stringContaining('aborted by the scheduler'),
      });
      expect((await liveKeys(db)).map(k => k.name)).toEqual([
        'a-production-sensor',
        'b-production-sensor',
      ]);
    });

    it('reports a run that could not list the key store, on the run and on its entries', async () => {
      const knex = await databases.init(databaseId);
      const checkout = entity('checkout', 'production:sensor');
      const embedded = await fixture(knex, [checkout]);
      const broken = await fixture(knex, [checkout], {
        keyStore: Object.assign(Object.create(embedded.store), {
          list: async () => {
            throw new Error('the key store is unreachable');
          },
        }),
      });
      await expect(broken.reconciler.run()).rejects.toThrow(
        'the key store is unreachable',
      );
      const { lastRun } = await broken.status.overview();
      expect(lastRun).toMatchObject({
        error: 'the key store is unreachable',
        keysCreated: 0,
      });
      const reasonTold = async (detailed: boolean) =>
        (await broken.status.entityStatus(checkout, { detailed })).entries.map(
          e => [e.state, e.reason],
        );
      expect(await reasonTold(true)).toEqual([
        [
          'failed',
          'the last provisioning run stopped early: the key store is unreachable',
        ],
      ]);
      // The entity's readers learn that the run stopped, not the store's words.
      expect(await reasonTold(false)).toEqual([
        [
          'failed',
          'the last provisioning run stopped early: the key store or the database failed; an ingestion-keys admin can see the details',
        ],
      ]);
    });

    it('does not adopt a key revoked moments ago that a lagging list still shows', async () => {
      const knex = await databases.init(databaseId);
      const declared = [entity('checkout', 'production:sensor')];
      const first = await fixture(knex, declared);
      await first.reconciler.run();
      const staleList = await first.store.list();
      const [key] = await liveKeys(first.db);
      await first.service.revokeKey((await first.records.get(key.id))!, {
        actor: 'user:default/alice',
      });

      const lagging = await fixture(knex, declared, {
        keyStore: Object.assign(Object.create(first.store), {
          list: async () => staleList,
        }),
      });
      const report = await lagging.reconciler.run();
      expect(report).toMatchObject({ keysAdopted: 0, keysCreated: 0 });
      expect(await liveKeys(first.db)).toEqual([]);

      // Once the list catches up, the declared key is made anew.
      const caughtUp = await first.reconciler.run();
      expect(caughtUp).toMatchObject({ keysCreated: 1, failed: [] });
    });

    it('reports a name taken by a foreign key that its list snapshot missed', async () => {
      const knex = await databases.init(databaseId);
      const declared = [entity('checkout', 'production:sensor')];
      const first = await fixture(knex, []);
      await first.store.create({
        name: 'checkout-production-sensor',
        type: 'sensor',
        remoteConfig: false,
        tags: {
          managedBy: 'another-portal',
          entityRef: 'component:default/checkout',
          environment: 'production',
          type: 'sensor',
        },
      });
      const lagging = await fixture(knex, declared, {
        keyStore: Object.assign(Object.create(first.store), {
          list: async () => [],
        }),
      });
      const report = await lagging.reconciler.run();
      expect(report.failed).toEqual([
        {
          entityRef: 'component:default/checkout',
          entry: 'production:sensor',
          reason:
            'An ingestion key named checkout-production-sensor already exists and belongs to something else',
          // The entity's readers are told that much, not in the key store's words.
          readerReason:
            "a key of the same name exists that is not this entry's; an ingestion-keys admin can see the details",
        },
      ]);
      expect(await liveKeys(first.db)).toEqual([]);
    });

    it('adopts keys whose records were lost, for example by a database restore', async () => {
      const knex = await databases.init(databaseId);
      const { db, reconciler, calls } = await fixture(knex, catalog);
      await reconciler.run();
      await db('ingestion_keys').delete();
      const report = await reconciler.run();
      expect(report).toMatchObject({
        keysCreated: 0,
        keysAdopted: 5,
        failed: [],
      });
      expect(calls.create).toBe(5);
      expect((await liveKeys(db)).map(k => k.origin)).toEqual(
        Array(5).fill('adopted'),
      );
    });

    it("adopts a rotated identity's newest successor after a database restore, creating none, and reports the key left unrecorded", async () => {
      const knex = await databases.init(databaseId);
      const { db, reconciler, service, records, store, calls, status } =
        await fixture(knex, [entity('search', 'staging:sensor')]);
      await reconciler.run();
      const [first] = await liveKeys(db);
      const rotate = async (id: string) =>
        (
          await service.rotateKey((await records.get(id))!, {
            actor: 'user:default/alice',
          })
        ).key;
      const second = await rotate(first.id);
      await service.revokeKey((await records.get(first.id))!, {
        actor: 'user:default/alice',
      });
      // Mid-rotation when the backup was taken: the -r2 key and its -r3 successor both live.
      const third = await rotate(second.id);
      const search = {
        entityRef: 'component:default/search',
        environment: 'staging',
        type: 'sensor' as const,
      };
      // Another portal's key for the same entity: neither adopted nor reported.
      await store.create({
        name: 'search-staging-sensor-other-portal',
        type: 'sensor',
        remoteConfig: false,
        tags: keyTagsFor(search, 'other-portal'),
      });
      await db('ingestion_keys').delete();
      const createsBefore = calls.create;

      const report = await reconciler.run();
      expect(report).toMatchObject({
        keysCreated: 0,
        keysAdopted: 1,
        failed: [],
        unrecordedKeys: [{ keyName: second.name, ...search }],
      });
      expect(calls.create).toBe(createsBefore);
      expect(
        (await liveKeys(db)).map(k => [k.name, k.status, k.generation]),
      ).toEqual([[third.name, 'active', 3]]);
      expect((await store.list()).map(k => k.name).sort()).toEqual(
        [second.name, third.name, 'search-staging-sensor-other-portal'].sort(),
      );
      // Stored with the run, for the org page.
      const { lastRun } = await status.overview();
      expect(lastRun?.unrecordedKeys).toEqual(report.unrecordedKeys);
    });

    it('reports a store key whose only record names another key store, though the run saw the record', async () => {
      const knex = await databases.init(databaseId);
      const { db, reconciler } = await fixture(knex, [
        entity('search', 'staging:sensor'),
      ]);
      await reconciler.run();
      const [key] = await liveKeys(db);
      // Recorded when the portal used another key store: it does not account for this store's key.
      await db('ingestion_keys').update({ provider: 'previous-store' });

      const report = await reconciler.run();

      expect(report).toMatchObject({
        keysCreated: 0,
        failed: [],
        unrecordedKeys: [
          {
            keyName: key.name,
            entityRef: 'component:default/search',
            environment: 'staging',
            type: 'sensor',
          },
        ],
      });
    });

    it('finishes the job on the next run after the key store failed mid-run', async () => {
      const knex = await databases.init(databaseId);
      let failures = 2;
      const db = await migrateDatabase(mockServices.database({ knex }));
      const embedded = EmbeddedKeyStore.create({
        db,
        cipher: SecretCipher.fromString(Buffer.alloc(32, 2).toString('base64')),
      });
      const flaky: IngestionKeyStore = {
        id: 'embedded',
        get: name => embedded.get(name),
        list: () => embedded.list(),
        delete: name => embedded.delete(name),
        create: async request => {
          if (failures-- > 0) {
            throw new Error('the key store did not answer in time');
          }
          return embedded.create(request);
        },
      };
      const { reconciler, store } = await fixture(knex, catalog, {
        keyStore: flaky,
      });
      const first = await reconciler.run();
      expect(first.failed).toHaveLength(2);
      expect(first.keysCreated).toBe(3);
      const second = await reconciler.run();
      expect(second).toMatchObject({ keysCreated: 2, failed: [] });
      expect(await store.list()).toHaveLength(5);
      expect(await liveKeys(db)).toHaveLength(5);
    });

    it('reports keys that are no longer declared as undesired and never revokes them by default', async () => {
      const knex = await databases.init(databaseId);
      const before = await fixture(knex, catalog);
      await before.reconciler.run();
      const after = await fixture(knex, [
        entity('checkout', 'production:sensor'),
        entity('search'),
      ]);
      const report = await after.reconciler.run();
      expect(report.undesiredCount).toBe(4);
      expect(report.keysRevoked).toBe(0);
      const overview = await after.status.overview();
      expect(
        overview.undesired
          .map(u => [
            u.keyName.replace(/^(queue-.*)-[a-z0-9]{6}$/, '$1'),
            u.reason,
          ])
          .sort(),
      ).toEqual([
        ['checkout-production-thirdparty-otel-collector', 'entry-removed'],
        ['checkout-staging-rum', 'entry-removed'],
        ['queue-production-thirdparty-firehose', 'entity-removed'],
        ['search-staging-sensor', 'entry-removed'],
      ]);
      expect(overview.lastRun?.undesiredCount).toBe(4);
      expect(await liveKeys(after.db)).toHaveLength(5);
      expect(await after.store.list()).toHaveLength(5);

      // Declared again: no longer undesired.
      const restored = await fixture(knex, catalog);
      await restored.reconciler.run();
      expect((await restored.status.overview()).undesired).toEqual([]);
    });

    it('keeps a rotated key provisioned and reports its successor once the entry goes', async () => {
      const knex = await databases.init(databaseId);
      const { db, service, reconciler, status, records } = await fixture(
        knex,
        catalog,
      );
      await reconciler.run();
      const checkout = catalog[0];
      const [sensor] = (
        await records.list({
          entityRef: 'component:default/checkout',
          environment: 'production',
          type: 'sensor',
        })
      ).items;
      const rotated = await service.rotateKey(sensor, {
        actor: 'user:default/alice',
      });
      expect(rotated.key).toMatchObject({
        name: 'checkout-production-sensor-r2',
        origin: 'provisioned',
      });

      for (const step of ['rotating', 'old key revoked']) {
        const report = await reconciler.run();
        expect({ step, ...report }).toMatchObject({
          step,
          keysCreated: 0,
          keysAdopted: 0,
          failed: [],
        });
        const entry = (
          await status.entityStatus(checkout, { detailed: true })
        ).entries.find(e => e.entry === 'production:sensor');
        expect({ step, ...entry }).toMatchObject({
          step,
          state: 'provisioned',
          keyName: 'checkout-production-sensor-r2',
        });
        await service.revokeKey((await records.get(sensor.id))!, {
          actor: 'user:default/alice',
        });
      }
      expect(await liveKeys(db)).toHaveLength(5);

      const after = await fixture(knex, [
        entity('checkout', 'staging:rum'),
        ...catalog.slice(1),
      ]);
      await after.reconciler.run();
      expect(
        (
          await after.status.entityStatus(checkout, { detailed: true })
        ).undesired.map(u => u.keyName),
      ).toEqual(
        expect.arrayContaining([
          'checkout-production-sensor-r2',
          'checkout-production-thirdparty-otel-collector',
        ]),
      );
    });

    it('revokes undesired keys after the grace period when opted in', async () => {
      const knex = await databases.init(databaseId);
      await (await fixture(knex, catalog)).reconciler.run();
      const strict = await fixture(knex, [entity('search', 'staging:sensor')], {
        revokeUndesiredAfterMs: 0,
      });
      const report = await strict.reconciler.run();
      expect(report.keysRevoked).toBe(4);
      expect((await liveKeys(strict.db)).map(k => k.name)).toEqual([
        'search-staging-sensor',
      ]);
      expect(await strict.store.list()).toHaveLength(1);
    });
  },
);

/** Copies an object's methods, bound, so a test can override one of them. */
function bindAll<T extends object>(target: T): T {
  const proto = Object.getPrototypeOf(target);
  const copy: any = {};
  for (const name of Object.getOwnPropertyNames(proto)) {
    const value = (target as any)[name];
    if (typeof value === 'function' && name !== 'constructor') {
      copy[name] = value.bind(target);
    }
  }
  return copy;
}

describe.each(databases.eachSupportedId())(
  'ProvisioningReconciler with a remote-like key store on %s',
  (databaseId: TestDatabaseId) => {
    const catalog = [
      entity(
        'checkout',
        'production:sensor, production:thirdParty:otel-collector',
      ),
      entity('search', 'staging:rum'),
    ];
    /** A store whose list shows a create only a while after it, as a remote store's does. */
    const laggingStore = (listLagMs = 30) =>
      InMemoryKeyStore.create({ listLagMs });

    it('creates the declared keys once, with one list call per run', async () => {
      const knex = await databases.init(databaseId);
      const store = laggingStore();
      const { reconciler, db } = await fixture(knex, catalog, {
        keyStore: store,
      });
      expect(await reconciler.run()).toMatchObject({
        keysCreated: 3,
        failed: [],
      });
      const before = store.calls;
      expect(await reconciler.run()).toMatchObject({
        keysCreated: 0,
        keysAdopted: 0,
      });
      expect(store.calls).toEqual({ ...before, list: before.list + 1 });
      expect(store.keys()).toHaveLength(3);
      expect(await liveKeys(db)).toHaveLength(3);
    });

    it('creates each key once when two reconcilers race', async () => {
      const knex = await databases.init(databaseId);
      const store = laggingStore();
      const a = await fixture(knex, catalog, { keyStore: store });
      const b = await fixture(knex, catalog, { keyStore: store });
      await Promise.all([a.reconciler.run(), b.reconciler.run()]);
      expect(store.keys()).toHaveLength(3);
      expect(store.calls.create).toBe(3);
      expect(await liveKeys(a.db)).toHaveLength(3);
    });

    it('adopts on the next run a key whose create failed after the store made it', async () => {
      const knex = await databases.init(databaseId);
      const store = laggingStore(0);
      // Its reservation is kept pending, and stale at once: the next run settles it.
      const { reconciler, db } = await fixture(knex, catalog, {
        keyStore: store,
        pendingTimeoutMs: 0,
      });
      store.injectFault({
        operation: 'create',
        status: 500,
        afterCommit: true,
      });
      const first = await reconciler.run();
      expect(first).toMatchObject({ keysCreated: 2, keysAdopted: 0 });
      expect(first.failed).toHaveLength(1);
      expect(store.keys()).toHaveLength(3);

      const second = await reconciler.run();
      expect(second).toMatchObject({
        keysCreated: 0,
        keysAdopted: 1,
        failed: [],
      });
      expect(store.calls.create).toBe(3);
      expect(store.keys()).toHaveLength(3);
      expect((await liveKeys(db)).map(k => k.status)).toEqual(
        Array(3).fill('active'),
      );
    });

    it('converges without duplicates while the store lags its list and refuses some creates', async () => {
      const knex = await databases.init(databaseId);
      // The list shows no write while the test runs, however long its runs take.
      const store = laggingStore(NEVER_MS);
      // The 503's reservation is kept pending, and stale at once: the next run settles it.
      const { reconciler, db } = await fixture(knex, catalog, {
        keyStore: store,
        pendingTimeoutMs: 0,
      });
      store.injectFault({ operation: 'create', status: 429 });
      store.injectFault({ operation: 'create', status: 503 });
      const first = await reconciler.run();
      expect(first.failed).toHaveLength(2);
      expect(first.keysCreated).toBe(1);

      // The list still shows nothing: records, not the lagging list, say what exists.
      const second = await reconciler.run();
      expect(second).toMatchObject({ keysCreated: 2, failed: [] });
      const third = await reconciler.run();
      expect(third).toMatchObject({
        keysCreated: 0,
        keysAdopted: 0,
        failed: [],
      });
      expect(store.keys()).toHaveLength(3);
      expect(await liveKeys(db)).toHaveLength(3);
    });

    it('tries no more creates in a run once the store turned one away, and makes them on the next', async () => {
      const knex = await databases.init(databaseId);
      const store = laggingStore(0);
      // Two pages of entities: the second page's key is not asked for after the 429.
      const { reconciler, db } = await fixture(
        knex,
        [
          entity('a', 'production:sensor'),
          entity('b', 'staging:sensor'),
          entity('c', 'production:rum'),
        ],
        { keyStore: store },
      );
      store.injectFault({ operation: 'create', status: 429 });

      const first = await reconciler.run();
      expect(first.keysCreated).toBe(1);
      expect(first.failed.map(f => f.reason).sort()).toEqual([
        'injected 429 on create',
        'not tried: the key store asked to wait 5 s; a later run tries again',
      ]);
      expect(store.calls).toMatchObject({ list: 1, create: 2, get: 0 });

      expect(await reconciler.run()).toMatchObject({
        keysCreated: 2,
        failed: [],
      });
      expect(await liveKeys(db)).toHaveLength(3);
    });

    it('heals a lost database write by adopting the key by its tags', async () => {
      const knex = await databases.init(databaseId);
      // The record is lost long after the create, when the store's list shows the key.
      const store = laggingStore(0);
      const { reconciler, db } = await fixture(knex, catalog, {
        keyStore: store,
      });
      await reconciler.run();
      await db('ingestion_keys').where({ name: 'search-staging-rum' }).delete();
      const createsBefore = store.calls.create;
      const report = await reconciler.run();
      expect(report).toMatchObject({
        keysCreated: 0,
        keysAdopted: 1,
        failed: [],
      });
      expect(store.calls.create).toBe(createsBefore);
      expect(store.keys()).toHaveLength(3);
    });
  },
);
