import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseKeyRecordStore } from '../database/DatabaseKeyRecordStore';
import { PROVISIONER } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  databasesAndKeyStores,
  LEDGER_API,
  TEST_ENTITIES,
  TEST_USERS,
  API_V1,
  AUTH_AS,
} from 'test-backend';
import {
  backendPerTest,
  runProvisioning,
} from '../__testUtils__/backendPerTest';
import { upstreamKeyNames } from '../__testUtils__/upstreamKeyNames';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const MINUTE = 60_000;
/** Longer than the 5 minute default, so that a test passes only if the setting is read. */
const PENDING_TIMEOUT = 10 * MINUTE;
const REVOKE_UNDESIRED_AFTER = 60 * MINUTE;
const LEDGER = 'component:default/ledger-api';

/**
 * `provisioning.pendingTimeout` and `provisioning.revokeUndesiredAfter` above zero: what is
 * younger than its grace period is left alone by a run, what is older is acted on. Time passes by
 * backdating the rows a run reads, not by waiting.
 */
describe.each(databasesAndKeyStores(databases))(
  'provisioning grace periods on %s with the %s key store',
  (databaseId, keyStore) => {
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore,
      entities: [...TEST_ENTITIES, LEDGER_API],
      // Both forms of a duration the config schema allows.
      config: {
        provisioning: {
          pendingTimeout: 'PT10M',
          revokeUndesiredAfter: { hours: 1 },
        },
      },
    });

    /** Runs the reconciler through the admin route and returns the run it reports. */
    const provision = async () => {
      const before = Date.now();
      const lastRun = await runProvisioning(running);
      expect(Date.parse(lastRun.startedAt)).toBeGreaterThanOrEqual(before);
      expect(lastRun).toMatchObject({ failed: [] });
      return lastRun;
    };
    const upstream = () =>
      upstreamKeyNames({
        knex: running.knex,
        keyStore: running.backend.keyStore,
      });
    const recordOf = (name: string) =>
      running
        .knex('ingestion_keys')
        .where({ name })
        .first('status', 'origin', 'revoked_by', 'undesired_since');
    const backdate = (name: string, column: string, ms: number) =>
      running
        .knex('ingestion_keys')
        .where({ name })
        .update({ [column]: new Date(Date.now() - ms) });

    /**
     * What a create still in flight looks like to a run: its reservation, and, once the key store
     * call returned, its key there. It is made through the API, then turned back into the
     * reservation it was a moment before.
     */
    const inFlight = async (spec: object, keyMade: boolean) => {
      if (!keyMade) {
        const reservation = await DatabaseKeyRecordStore.create({
          db: running.knex,
        }).reserve({
          entityRef: 'component:default/checkout-api',
          environment: 'staging',
          type: 'sensor',
          ...spec,
          name: 'in-flight-never-made',
          remoteConfig: false,
          provider: keyStore,
          origin: 'manual',
          createdBy: TEST_USERS.alice,
          generation: 1,
        });
        return reservation.name;
      }
      const res = await running.api
        .post(`${API_V1}/keys`)
        .set('Authorization', AUTH_AS.alice)
        .send(spec);
      expect(res.status).toBe(201);
      await running
        .knex('ingestion_keys')
        .where({ id: res.body.key.id })
        .update({ status: 'pending', provider_key_id: null });
      // Made minutes ago, as the backdated reservation will say: the store's list shows it.
      running.backend.inMemory?.catchUpList();
      return res.body.key.name as string;
    };

    it.each([
      {
        what: 'a manual create whose key was made',
        spec: {
          entityRef: 'component:default/checkout-api',
          environment: 'production',
          type: 'rum',
        },
        keyMade: true,
        settled: expect.objectContaining({
          status: 'active',
          origin: 'manual',
        }),
      },
      {
        what: 'a manual create that never reached the key store',
        spec: {},
        keyMade: false,
        settled: undefined,
      },
      {
        // A declared entry's reservation is settled with its entry, by another path; a person made
        // it, so it stays theirs.
        what: 'a declared key whose key was made',
        spec: { entityRef: LEDGER, environment: 'production', type: 'sensor' },
        keyMade: true,
        settled: expect.objectContaining({
          status: 'active',
          origin: 'manual',
        }),
      },
    ])(
      'leaves $what alone until it is older than pendingTimeout',
      async ({ spec, keyMade, settled }) => {
        const name = await inFlight(spec, keyMade);
        const inStore = await upstream();
        expect(inStore.includes(name)).toBe(keyMade);

        await backdate(name, 'created_at', PENDING_TIMEOUT - MINUTE);
        const early = await provision();
        expect(await recordOf(name)).toMatchObject({ status: 'pending' });
        expect(await upstream()).toEqual(
          expect.arrayContaining(keyMade ? [name] : []),
        );
        expect(early.keysAdopted).toBe(0);

        await backdate(name, 'created_at', PENDING_TIMEOUT + MINUTE);
        const late = await provision();
        expect(await recordOf(name)).toEqual(settled);
        expect(late.keysAdopted).toBe(settled ? 1 : 0);
        expect((await upstream()).includes(name)).toBe(keyMade);
      },
    );

    it('revokes a key no longer declared only once revokeUndesiredAfter has passed', async () => {
      await provision();
      const name = 'ledger-api-production-sensor';
      expect(await recordOf(name)).toMatchObject({
        status: 'active',
        origin: 'provisioned',
      });

      await running.backend.catalog.removeEntityByUid(
        LEDGER_API.metadata.uid!,
        {
          credentials: mockCredentials.service(),
        },
      );
      for (const undesiredFor of [0, REVOKE_UNDESIRED_AFTER - MINUTE]) {
        if (undesiredFor) {
          await backdate(name, 'undesired_since', undesiredFor);
        }
        const run = await provision();
        expect({ undesiredFor, ...run }).toMatchObject({
          undesiredFor,
          undesiredCount: 2,
          keysRevoked: 0,
        });
        expect(await recordOf(name)).toMatchObject({ status: 'active' });
        expect(await upstream()).toContain(name);
      }

      await backdate(name, 'undesired_since', REVOKE_UNDESIRED_AFTER + MINUTE);
      const late = await provision();
      expect(late.keysRevoked).toBe(1);
      expect(await recordOf(name)).toMatchObject({
        status: 'revoked',
        revoked_by: PROVISIONER,
      });
      expect(await upstream()).not.toContain(name);
      // Its sibling became undesired later, at the first run after the entity went: it stays.
      expect(
        await recordOf('ledger-api-staging-thirdparty-otel-collector'),
      ).toMatchObject({ status: 'active' });
    });
  },
);
