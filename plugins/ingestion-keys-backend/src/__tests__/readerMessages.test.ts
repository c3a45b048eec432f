import { TestDatabases } from '@backstage/backend-test-utils';
import {
  databasesAndKeyStores,
  LEDGER_API,
  TEST_ENTITIES,
  TEST_USERS,
  API_V1,
  AUTH_AS,
} from 'test-backend';
import { DatabaseKeyRecordStore } from '../database/DatabaseKeyRecordStore';
import {
  backendPerTest,
  runProvisioning,
} from '../__testUtils__/backendPerTest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const LEDGER = 'component:default/ledger-api';
const SEARCH = 'component:default/search-api';

/**
 * Answers tell a caller only what they may know: a key name held by another entity's key, and
 * the failures of an entity's provisioning, are told in full to admins (carol) only; the
 * entity's readers (alice's team owns checkout-api and ledger-api) learn that it failed and why
 * in general terms.
 */
describe.each(databasesAndKeyStores(databases))(
  'what readers are told on %s with the %s key store',
  (databaseId, keyStore) => {
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore,
      entities: [...TEST_ENTITIES, LEDGER_API],
    });

    /**
     * search-api's key holds `name`, as one named under an earlier naming pattern would: what
     * identifies it is what only admins may be told.
     */
    const searchApiKeyNamed = async (name: string) => {
      const held = await DatabaseKeyRecordStore.create({
        db: running.knex,
      }).reserve({
        entityRef: SEARCH,
        environment: 'staging',
        type: 'rum',
        name,
        remoteConfig: false,
        provider: keyStore,
        origin: 'manual',
        createdBy: TEST_USERS.bob,
        generation: 1,
      });
      return [held.id, SEARCH];
    };

    const callers = [
      { caller: 'alice, a reader', auth: AUTH_AS.alice, toldAll: false },
      { caller: 'carol, an admin', auth: AUTH_AS.carol, toldAll: true },
    ];

    const checkoutSensor = {
      entityRef: 'component:default/checkout-api',
      environment: 'production',
      type: 'sensor',
    };
    /** The two ways a caller asks for a name: a new key, and a rotation's successor. */
    const askingForNames = [
      {
        asking: 'a new key',
        taken: 'checkout-api-production-sensor',
        ask: (auth: string) =>
          running.api
            .post(`${API_V1}/keys`)
            .set('Authorization', auth)
            .send(checkoutSensor),
      },
      {
        asking: "a rotation's successor",
        taken: 'checkout-api-production-sensor-r2',
        ask: async (auth: string) => {
          const made = await running.api
            .post(`${API_V1}/keys`)
            .set('Authorization', AUTH_AS.alice)
            .send(checkoutSensor)
            .expect(201);
          return running.api
            .post(`${API_V1}/keys/${made.body.key.id}/rotate`)
            .set('Authorization', auth);
        },
      },
    ];

    it.each(
      askingForNames.flatMap(way => callers.map(c => ({ ...way, ...c }))),
    )(
      'tells $caller asking for $asking of a name taken by another entity',
      async ({ taken, ask, auth, toldAll }) => {
        const adminsOnly = await searchApiKeyNamed(taken);
        const refused = await ask(auth);
        expect(refused.status).toBe(409);
        const { message } = refused.body.error;
        expect(message).toContain(taken);
        expect(adminsOnly.map(word => message.includes(word))).toEqual(
          adminsOnly.map(() => toldAll),
        );
      },
    );

    const failures = [
      {
        cause: "another entity's key holds the entry's name",
        stores: ['embedded', 'in-memory'],
        failing: ['production:sensor'],
        arrange: () => searchApiKeyNamed('ledger-api-production-sensor'),
      },
      {
        cause: 'the key store refuses it in its own words',
        stores: ['in-memory'],
        failing: ['production:sensor', 'staging:thirdParty:otel-collector'],
        arrange: async () => {
          running.backend.inMemory!.injectFault({
            operation: 'create',
            status: 400,
            times: 2,
            message: 'tenant acme-internal-42 has no quota left in eu-west-9',
          });
          return ['acme-internal-42', 'eu-west-9'];
        },
      },
    ].filter(failure => failure.stores.includes(keyStore));

    it.each(
      failures.flatMap(failure => callers.map(c => ({ ...failure, ...c }))),
    )(
      'tells $caller of a provisioning failure where $cause',
      async ({ arrange, failing, auth, toldAll }) => {
        const adminsOnly = await arrange();
        await runProvisioning(running);
        const status = await running.api
          .get(`${API_V1}/provisioning/status`)
          .query({ entityRef: LEDGER })
          .set('Authorization', auth);
        expect(status.status).toBe(200);
        const failed: Array<{ entry: string; reason: string }> =
          status.body.entries.filter(
            (e: { state: string }) => e.state === 'failed',
          );
        expect(failed.map(e => e.entry)).toEqual(failing);
        for (const { reason } of failed) {
          expect(adminsOnly.map(word => reason.includes(word))).toEqual(
            adminsOnly.map(() => toldAll),
          );
        }
      },
    );
  },
);
