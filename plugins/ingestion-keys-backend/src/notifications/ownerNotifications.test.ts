import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  API_V1,
  AUTH_AS,
  LEDGER_API,
  TEST_ENTITIES,
  waitUntil,
} from 'test-backend';
import {
  backendPerTest,
  runProvisioning,
} from '../__testUtils__/backendPerTest';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';
import { DatabaseKeyRecordStore } from '../database/DatabaseKeyRecordStore';
import { KeyNotifier } from './KeyNotifier';
import { RotationReminders } from './RotationReminders';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const CHECKOUT_API = 'component:default/checkout-api';
const CHECKOUT_TAB = '/catalog/default/component/checkout-api/ingestion-keys';
const LEDGER = 'component:default/ledger-api';

/** What a test compares: who is told, what, and where it links. */
const summary = (n: NotificationSendOptions) => ({
  recipients: n.recipients,
  title: n.payload.title,
  link: n.payload.link,
  scope: n.payload.scope,
});

describe.each(databases.eachSupportedId())(
  'owner notifications on %s',
  databaseId => {
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore: 'in-memory',
      entities: [...TEST_ENTITIES, LEDGER_API],
    });
    const sent = () => running.backend.notifications;
    /** Rotations and revocations answer before their owners are told: waits for the sends. */
    const sentBy = (count: number) =>
      waitUntil(`${count} notifications were sent`, async () =>
        sent().length >= count ? sent() : undefined,
      );

    async function createKey(integration: string) {
      const res = await running.api
        .post(`${API_V1}/keys`)
        .set('Authorization', AUTH_AS.alice)
        .send({
          entityRef: CHECKOUT_API,
          environment: 'staging',
          type: 'thirdParty',
          integration,
        })
        .expect(201);
      return res.body.key as { id: string; name: string };
    }

    it("tells the entity's owners who revoked a key, linking to the tab", async () => {
      const key = await createKey('revoked');
      expect(sent()).toEqual([]);
      await running.api
        .delete(`${API_V1}/keys/${key.id}`)
        .set('Authorization', AUTH_AS.alice)
        .expect(200);

      expect((await sentBy(1)).map(summary)).toEqual([
        {
          recipients: { type: 'entity', entityRef: CHECKOUT_API },
          title: `Ingestion key ${key.name} was revoked`,
          link: CHECKOUT_TAB,
          scope: `key:${key.id}:revoked`,
        },
      ]);
      expect(sent()[0].payload).toMatchObject({
        topic: 'ingestion-keys',
        severity: 'high',
        description: expect.stringContaining(
          'user:default/alice revoked the ingestion key',
        ),
      });
    });

    it('reminds them to revoke a rotated key while it is still rotating, and not after', async () => {
      const key = await createKey('rotated');
      const successor = await running.api
        .post(`${API_V1}/keys/${key.id}/rotate`)
        .set('Authorization', AUTH_AS.alice)
        .expect(201);
      const reminder = {
        recipients: { type: 'entity', entityRef: CHECKOUT_API },
        title: `Revoke ${key.name} once ${successor.body.key.name} is rolled out`,
        link: CHECKOUT_TAB,
        scope: `key:${key.id}:rotated`,
      };
      expect((await sentBy(1)).map(summary)).toEqual([reminder]);

      // The reminders as the scheduled task runs them, on the plugin's database.
      const reminders = RotationReminders.create({
        records: DatabaseKeyRecordStore.create({ db: running.knex }),
        notifier: KeyNotifier.create({
          notifications: {
            send: async n => {
              running.backend.notifications.push(n);
            },
          },
          logger: mockServices.logger.mock(),
          catalog: running.backend.catalog,
          auth: mockServices.auth(),
        }),
        remindAfterMs: 0,
      });
      expect(await reminders.run()).toBe(1);
      expect(sent().map(summary)).toEqual([reminder, reminder]);

      await running.api
        .delete(`${API_V1}/keys/${key.id}`)
        .set('Authorization', AUTH_AS.alice)
        .expect(200);
      expect(await reminders.run()).toBe(0);
      // The revocation's own notification, and no reminder after it.
      expect((await sentBy(3)).map(n => n.payload.title)).toEqual([
        reminder.title,
        reminder.title,
        `Ingestion key ${key.name} was revoked`,
      ]);
    });

    it('tells them once when a provisioned key becomes undesired', async () => {
      await runProvisioning(running);
      expect(sent()).toEqual([]);
      await running.backend.catalog.removeEntityByUid(
        LEDGER_API.metadata.uid!,
        { credentials: mockCredentials.service() },
      );
      await runProvisioning(running);
      await runProvisioning(running);
      // The entity left the catalog: its owner when the keys were made is told, once a key.
      expect(sent()).toHaveLength(2);
      expect(sent().map(summary)).toEqual(
        expect.arrayContaining(
          [
            'ledger-api-production-sensor',
            'ledger-api-staging-thirdparty-otel-collector',
          ].map(name => ({
            recipients: {
              type: 'entity',
              entityRef: 'group:default/team-checkout',
            },
            title: `Ingestion key ${name} is no longer declared`,
            link: '/catalog/default/component/ledger-api/ingestion-keys',
            scope: expect.stringMatching(/^key:.*:undesired$/),
          })),
        ),
      );
    });

    it('tells the owner recorded on a key when a key of an entity that left the catalog is revoked', async () => {
      await runProvisioning(running);
      await running.backend.catalog.removeEntityByUid(
        LEDGER_API.metadata.uid!,
        { credentials: mockCredentials.service() },
      );
      // The organisation's list: the entity's own answers 404 now that it is gone.
      const { body } = await running.api
        .get(`${API_V1}/keys`)
        .query({ type: 'sensor' })
        .set('Authorization', AUTH_AS.carol)
        .expect(200);
      const key = body.items.find(
        (k: { entityRef: string }) => k.entityRef === LEDGER,
      );
      await running.api
        .delete(`${API_V1}/keys/${key.id}`)
        .set('Authorization', AUTH_AS.carol)
        .expect(200);
      // The entity has no owners to resolve any more: its owner when the key was made is told.
      await waitUntil('the revocation is notified', async () =>
        sent().find(n => n.payload.scope === `key:${key.id}:revoked`),
      );
      expect(
        sent()
          .filter(n => n.payload.scope === `key:${key.id}:revoked`)
          .map(n => n.recipients),
      ).toEqual([{ type: 'entity', entityRef: 'group:default/team-checkout' }]);
    });

    it('tells nobody when the key store only asked the run to wait', async () => {
      running.backend.inMemory!.injectFault({
        operation: 'create',
        status: 429,
      });
      const run = await runProvisioning(running);
      // The 429 and the entries not tried after it: a later run makes them, nothing to act on.
      expect(run.failed.length).toBeGreaterThan(0);
      expect(sent()).toEqual([]);
    });

    it('tells them once when provisioning a declared key starts failing', async () => {
      running.backend.inMemory!.injectFault({
        operation: 'create',
        status: 403,
        message: 'the store refused',
        times: 4,
      });
      const first = await runProvisioning(running);
      expect(first.failed).toHaveLength(2);
      await runProvisioning(running);
      // Once each (the second run failed the same way), in the order the creates ended.
      expect(sent()).toHaveLength(2);
      expect(sent().map(summary)).toEqual(
        expect.arrayContaining(
          ['production:sensor', 'staging:thirdParty:otel-collector'].map(
            entry => ({
              recipients: { type: 'entity', entityRef: LEDGER },
              title: `Provisioning ${entry} of ${LEDGER} failed`,
              link: '/catalog/default/component/ledger-api/ingestion-keys',
              scope: `provisioning:${LEDGER}:${entry}`,
            }),
          ),
        ),
      );
    });
  },
);

describe.each(databases.eachSupportedId())(
  'rotation reminders scheduled on %s',
  databaseId => {
    it('come again at the configured interval while the old key is rotating', async () => {
      const backend = await startTestIngestionKeysBackend({
        knex: await databases.init(databaseId),
        keyStore: 'in-memory',
        features: [schedulerServiceFactory],
        config: { notifications: { rotationReminder: { seconds: 1 } } },
      });
      try {
        const api = request(backend.server);
        const created = await api
          .post(`${API_V1}/keys`)
          .set('Authorization', AUTH_AS.alice)
          .send({
            entityRef: CHECKOUT_API,
            environment: 'production',
            type: 'rum',
          })
          .expect(201);
        await api
          .post(`${API_V1}/keys/${created.body.key.id}/rotate`)
          .set('Authorization', AUTH_AS.alice)
          .expect(201);
        const scope = `key:${created.body.key.id}:rotated`;
        // The rotation's own notification, then at least two reminders from the task.
        const sent = await waitUntil(
          'two reminders after the rotation',
          async () => {
            const ofRotation = backend.notifications.filter(
              n => n.payload.scope === scope,
            );
            return ofRotation.length >= 3 ? ofRotation : undefined;
          },
        );
        expect(new Set(sent.map(n => n.payload.title)).size).toBe(1);
      } finally {
        await backend.stop();
      }
    });
  },
);
