import { TestDatabases } from '@backstage/backend-test-utils';
import { PROVISIONER } from '@ingestion-keys/plugin-ingestion-keys-common';
import { Entity } from '@backstage/catalog-model';
import {
  deliveryProviderTestModule,
  InMemoryDeliveryProvider,
} from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import {
  API_V1,
  AUTH_AS,
  serviceAuthHeader,
  TEST_ENTITIES,
} from 'test-backend';
import {
  backendPerTest,
  runProvisioning,
} from '../__testUtils__/backendPerTest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const CHECKOUT_API = 'component:default/checkout-api';
const PAYMENTS = 'component:default/payments-api';
const ESO_SUBJECT = 'external:eso-prod-eu';
const MINUTE = 60_000;

/** alice's team's payments-api declares a key delivered to an in-memory target and to a store. */
const PAYMENTS_API: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    uid: 'payments-api-uid',
    annotations: {
      'ingestion-keys/provision':
        'production:sensor -> memory:prod-eu, production:sensor -> external-secrets:prod-eu, staging:rum -> nowhere:x',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-checkout',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
};

/**
 * Delivery targets through the API, with a delivery provider made by the test and the built-in
 * External Secrets pull route: declared and added targets, deliveries and their failures,
 * rotations that finish by themselves, and the age policy.
 */
describe.each(databases.eachSupportedId())('key delivery on %s', databaseId => {
  const provider = new InMemoryDeliveryProvider();
  const running = backendPerTest(() => databases.init(databaseId), {
    keyStore: 'in-memory',
    entities: [...TEST_ENTITIES, PAYMENTS_API],
    features: [deliveryProviderTestModule(provider)],
    config: {
      delivery: {
        externalSecrets: {
          stores: [{ name: 'prod-eu', subject: ESO_SUBJECT }],
          pullsPerMinute: 5,
        },
      },
      rotation: {
        revokeAfterDelivery: { minutes: 10 },
        maxAge: [{ environment: 'production', after: { days: 30 } }],
      },
    },
  });

  beforeEach(() => {
    ['prod-eu', 'eu-2', 'down'].forEach(a => provider.recover(a));
  });

  const runDelivery = () =>
    running.api
      .post(`${API_V1}/delivery/run`)
      .set('Authorization', AUTH_AS.carol)
      .expect(202);
  const targetsOf = async (entityRef: string) =>
    (
      await running.api
        .get(`${API_V1}/targets`)
        .query({ entityRef })
        .set('Authorization', AUTH_AS.alice)
        .expect(200)
    ).body.items;
  const reveal = async (id: string) =>
    (
      await running.api
        .post(`${API_V1}/keys/${id}/reveal`)
        .set('Authorization', AUTH_AS.alice)
        .expect(200)
    ).body.secret as string;
  const keysOf = async (entityRef: string) =>
    (
      await running.api
        .get(`${API_V1}/keys`)
        .query({ entityRef, includeRevoked: true })
        .set('Authorization', AUTH_AS.alice)
        .expect(200)
    ).body.items;
  const pull = (keyName: string, subject = ESO_SUBJECT) =>
    running.api
      .get(`${API_V1}/external-secrets/prod-eu/${keyName}`)
      .set('Authorization', serviceAuthHeader(subject));
  const backdateTargets = (ms: number) =>
    running
      .knex('ingestion_key_targets')
      .update({ current_since: new Date(Date.now() - ms) });
  const createKey = async () =>
    (
      await running.api
        .post(`${API_V1}/keys`)
        .set('Authorization', AUTH_AS.alice)
        .send({
          entityRef: CHECKOUT_API,
          environment: 'staging',
          type: 'thirdParty',
          integration: 'otel',
        })
        .expect(201)
    ).body as { key: { id: string; name: string }; secret: string };

  it('delivers a provisioned key to the targets its annotation declares, and reports a kind nobody delivers to', async () => {
    const run = await runProvisioning(running);
    expect(run.invalidEntries).toEqual([
      {
        entityRef: PAYMENTS,
        entry: 'staging:rum -> nowhere:x',
        reason: expect.stringContaining(
          'this portal does not deliver to "nowhere" targets',
        ),
      },
    ]);
    await runDelivery();
    const [key] = (await keysOf(PAYMENTS)).filter(
      (k: any) => k.environment === 'production',
    );
    const secret = await reveal(key.id);
    expect(provider.heldAt('prod-eu')).toMatchObject({
      secret,
      managedBy: 'backstage',
      key: { id: key.id, name: key.name, entityRef: PAYMENTS, generation: 1 },
    });
    const targets = await targetsOf(PAYMENTS);
    // Declared in one run, they are listed by address.
    expect(targets).toEqual([
      expect.objectContaining({
        target: 'external-secrets:prod-eu',
        pull: true,
      }),
      expect.objectContaining({
        target: 'memory:prod-eu',
        origin: 'annotation',
        pull: false,
        currentKeyId: key.id,
        lastDelivery: expect.objectContaining({
          outcome: 'delivered',
          keyName: key.name,
          generation: 1,
          location: 'memory target prod-eu',
        }),
      }),
    ]);
    expect(targets[0].lastDelivery).toBeUndefined();

    // A second pass has nothing to do.
    const before = provider.deliveryLog().length;
    await runDelivery();
    expect(provider.deliveryLog()).toHaveLength(before);

    // External Secrets fetches the same value, as its webhook provider asks for it.
    const pulled = await pull(key.name).expect(200);
    expect(pulled.headers['cache-control']).toBe('no-store');
    expect(pulled.body).toEqual({ name: key.name, value: secret });
    const events = await running.api
      .get(`${API_V1}/keys/${key.id}/events`)
      .set('Authorization', AUTH_AS.alice)
      .expect(200);
    expect(events.body.items.map((e: any) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['delivered', PROVISIONER],
        ['fetched', ESO_SUBJECT],
      ]),
    );

    // The entity leaves the catalog: its declared targets go with the next complete run.
    await running.backend.catalog.removeEntityByUid('payments-api-uid');
    await runProvisioning(running);
    expect(await targetsOf(CHECKOUT_API)).toEqual([]);
    const gone = await running
      .knex('ingestion_key_targets')
      .where({ entity_ref: PAYMENTS });
    expect(gone).toEqual([]);
  });

  it('adds a target from the tab, delivering at once, and refuses bad targets, strangers and duplicates', async () => {
    const { key, secret } = await createKey();
    const add = (target: string, auth = AUTH_AS.alice) =>
      running.api
        .post(`${API_V1}/keys/${key.id}/targets`)
        .set('Authorization', auth)
        .send({ target });

    const added = await add('memory:eu-2').expect(201);
    expect(added.body).toMatchObject({
      target: 'memory:eu-2',
      origin: 'manual',
      addedBy: 'user:default/alice',
      currentKeyId: key.id,
      lastDelivery: { outcome: 'delivered', keyName: key.name },
    });
    expect(provider.heldAt('eu-2')?.secret).toBe(secret);
    expect(JSON.stringify(added.body)).not.toContain(secret);

    await add('memory:eu-2').expect(409);
    expect((await add('memory:EU_2').expect(400)).body.error.message).toContain(
      'is not a memory address',
    );
    expect((await add('vault:a').expect(400)).body.error.message).toContain(
      'kinds: memory, external-secrets',
    );
    expect(
      (await add('external-secrets:us').expect(400)).body.error.message,
    ).toContain('store "us" is not configured');
    await add('memory:eu-3', AUTH_AS.bob).expect(403);

    // A person's target is theirs to remove; the value there stays until the key is revoked.
    await running.api
      .delete(`${API_V1}/targets/${added.body.id}`)
      .set('Authorization', AUTH_AS.bob)
      .expect(403);
    await running.api
      .delete(`${API_V1}/targets/${added.body.id}`)
      .set('Authorization', AUTH_AS.alice)
      .expect(204);
    expect(await targetsOf(CHECKOUT_API)).toEqual([]);
  });

  it('records a failed delivery without the value, tells the owners and lists it for admins, then retries', async () => {
    const { key, secret } = await createKey();
    // A target whose error would echo the value: it is recorded and told without it.
    provider.failAt('down', `connection reset while writing ${secret}`);
    const added = await running.api
      .post(`${API_V1}/keys/${key.id}/targets`)
      .set('Authorization', AUTH_AS.alice)
      .send({ target: 'memory:down' })
      .expect(201);
    expect(added.body.lastDelivery).toMatchObject({
      outcome: 'failed',
      error: 'connection reset while writing [redacted]',
    });
    expect(added.body.currentKeyId).toBeUndefined();
    // The next passes find it still failing: its owners were told once.
    await running.api
      .post(`${API_V1}/delivery/run`)
      .set('Authorization', AUTH_AS.carol)
      .expect(202);
    expect(
      running.backend.notifications.filter(
        n => n.payload.title === `Delivering ${key.name} to memory:down failed`,
      ),
    ).toHaveLength(1);

    await running.api
      .get(`${API_V1}/targets/failed`)
      .set('Authorization', AUTH_AS.alice)
      .expect(403);
    const failed = await running.api
      .get(`${API_V1}/targets/failed`)
      .set('Authorization', AUTH_AS.carol)
      .expect(200);
    expect(failed.body.items.map((t: any) => t.id)).toEqual([added.body.id]);

    provider.recover('down');
    const retried = await running.api
      .post(`${API_V1}/targets/${added.body.id}/deliver`)
      .set('Authorization', AUTH_AS.alice)
      .expect(200);
    expect(retried.body).toMatchObject({
      currentKeyId: key.id,
      lastDelivery: { outcome: 'delivered' },
    });
    const none = await running.api
      .get(`${API_V1}/targets/failed`)
      .set('Authorization', AUTH_AS.carol)
      .expect(200);
    expect(none.body.items).toEqual([]);
  });

  it('finishes a rotation by itself once every target holds the successor, and never before', async () => {
    const { key } = await createKey();
    for (const target of [
      'memory:eu-2',
      'memory:down',
      'external-secrets:prod-eu',
    ]) {
      await running.api
        .post(`${API_V1}/keys/${key.id}/targets`)
        .set('Authorization', AUTH_AS.alice)
        .send({ target })
        .expect(201);
    }
    await pull(key.name).expect(200);

    // The rollout fails half-way: one push target is down.
    provider.failAt('down');
    const rotated = await running.api
      .post(`${API_V1}/keys/${key.id}/rotate`)
      .set('Authorization', AUTH_AS.alice)
      .expect(201);
    const successor = rotated.body.key;
    expect(provider.heldAt('eu-2')?.key.id).toBe(successor.id);
    expect(provider.heldAt('eu-2')?.secret).toBe(rotated.body.secret);

    // External Secrets asks by the name in its manifest and gets the successor's value.
    const pulled = await pull(key.name).expect(200);
    expect(pulled.body).toEqual({
      name: successor.name,
      value: rotated.body.secret,
    });

    // Long past the grace period, the old key stays while one target lacks the successor.
    await backdateTargets(60 * MINUTE);
    await runDelivery();
    const statusOf = async (id: string) =>
      (await keysOf(CHECKOUT_API)).find((k: any) => k.id === id).status;
    expect(await statusOf(key.id)).toBe('rotating');

    // The target is back: the pass delivers, and the grace period starts from then.
    provider.recover('down');
    await runDelivery();
    expect(provider.heldAt('down')?.key.id).toBe(successor.id);
    expect(await statusOf(key.id)).toBe('rotating');

    await backdateTargets(11 * MINUTE);
    await runDelivery();
    expect(await statusOf(key.id)).toBe('revoked');
    const old = (await keysOf(CHECKOUT_API)).find((k: any) => k.id === key.id);
    expect(old.revokedBy).toBe(PROVISIONER);
    expect(running.backend.notifications.map(n => n.payload.title)).toContain(
      `Rotation of ${key.name} finished`,
    );
    // The store's token still works with the first name: the manifest survives rotations.
    await pull(key.name).expect(200);
  });

  it('answers External Secrets only for its own store, keys delivered there and within its rate', async () => {
    const { key } = await createKey();
    await pull(key.name).expect(404);
    await running.api
      .post(`${API_V1}/keys/${key.id}/targets`)
      .set('Authorization', AUTH_AS.alice)
      .send({ target: 'external-secrets:prod-eu' })
      .expect(201);
    expect(
      (await pull(key.name, 'external:someone-else').expect(403)).body.error
        .message,
    ).toContain('Only the token of External Secrets store prod-eu');
    await running.api
      .get(`${API_V1}/external-secrets/prod-eu/${key.name}`)
      .set('Authorization', AUTH_AS.alice)
      .expect(403);
    const unknown = await pull('no-such-key').expect(404);
    expect(unknown.body.error.message).toBe(
      'No key named no-such-key is delivered to External Secrets store prod-eu',
    );
    await running.api
      .get(`${API_V1}/external-secrets/prod-eu/Not_A_Name`)
      .set('Authorization', serviceAuthHeader(ESO_SUBJECT))
      .expect(400);
    // pullsPerMinute is 5: the two 404s above were counted, the refused callers were not.
    for (let i = 0; i < 3; i++) {
      await pull(key.name).expect(200);
    }
    const limited = await pull(key.name).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error.message).toContain('raise its refreshInterval');
  });

  it('flags keys past their maximum age, and rotates none unless automatic', async () => {
    const { key } = await createKey();
    await running
      .knex('ingestion_keys')
      .where({ id: key.id })
      .update({ created_at: new Date(Date.now() - 40 * 24 * 60 * MINUTE) });
    // The rule is for production keys: this staging key has no due date.
    expect((await keysOf(CHECKOUT_API))[0].rotationDueAt).toBeUndefined();
    await runProvisioning(running);
    const [provisioned] = (await keysOf(PAYMENTS)).filter(
      (k: any) => k.environment === 'production',
    );
    expect(
      Date.parse(provisioned.rotationDueAt) - Date.parse(provisioned.createdAt),
    ).toBe(30 * 24 * 60 * MINUTE);
    await running
      .knex('ingestion_keys')
      .where({ id: provisioned.id })
      .update({ created_at: new Date(Date.now() - 40 * 24 * 60 * MINUTE) });
    await runDelivery();
    expect((await keysOf(PAYMENTS)).map((k: any) => k.status)).not.toContain(
      'rotating',
    );
  });
});

describe.each(databases.eachSupportedId())(
  'automatic rotation on %s',
  databaseId => {
    const provider = new InMemoryDeliveryProvider();
    const running = backendPerTest(() => databases.init(databaseId), {
      keyStore: 'in-memory',
      entities: [...TEST_ENTITIES, PAYMENTS_API],
      features: [deliveryProviderTestModule(provider)],
      config: {
        delivery: {
          externalSecrets: {
            stores: [{ name: 'prod-eu', subject: ESO_SUBJECT }],
          },
        },
        rotation: {
          automatic: true,
          revokeAfterDelivery: 'PT0S',
          maxAge: [{ environment: 'production', after: 'P30D' }],
        },
      },
    });

    const keysOf = async (entityRef: string) =>
      (
        await running.api
          .get(`${API_V1}/keys`)
          .query({ entityRef, includeRevoked: true, environment: 'production' })
          .set('Authorization', AUTH_AS.carol)
          .expect(200)
      ).body.items;
    const runDelivery = () =>
      running.api
        .post(`${API_V1}/delivery/run`)
        .set('Authorization', AUTH_AS.carol)
        .expect(202);

    it('rotates delivered keys past their age and finishes the rotation once the successor is everywhere', async () => {
      await runProvisioning(running);
      await running.api
        .post(`${API_V1}/keys`)
        .set('Authorization', AUTH_AS.alice)
        .send({
          entityRef: CHECKOUT_API,
          environment: 'production',
          type: 'sensor',
        })
        .expect(201);
      await running
        .knex('ingestion_keys')
        .update({ created_at: new Date(Date.now() - 40 * 24 * 60 * MINUTE) });
      const [aged] = await keysOf(PAYMENTS);
      expect(Date.parse(aged.rotationDueAt)).toBeLessThan(Date.now());

      await runDelivery();
      const [successor, old] = await keysOf(PAYMENTS);
      expect([old.id, old.status]).toEqual([aged.id, 'rotating']);
      expect(successor.status).toBe('active');
      expect(successor.replacesId).toBe(aged.id);
      expect(provider.heldAt('prod-eu')?.key.id).toBe(successor.id);
      // A key nobody delivers is flagged, not rotated: its senders would not get the successor.
      const [manual] = await keysOf(CHECKOUT_API);
      expect(manual.status).toBe('active');
      expect(Date.parse(manual.rotationDueAt)).toBeLessThan(Date.now());

      // External Secrets has not fetched the successor yet: the old key stays.
      await runDelivery();
      expect((await keysOf(PAYMENTS))[1].status).toBe('rotating');
      await running.api
        .get(`${API_V1}/external-secrets/prod-eu/${aged.name}`)
        .set('Authorization', serviceAuthHeader(ESO_SUBJECT))
        .expect(200);
      await runDelivery();
      const [, revoked] = await keysOf(PAYMENTS);
      expect(revoked).toMatchObject({
        status: 'revoked',
        revokedBy: PROVISIONER,
      });
    });
  },
);
