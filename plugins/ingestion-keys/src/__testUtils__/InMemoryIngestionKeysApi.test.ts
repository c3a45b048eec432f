import {
  PROVISIONER,
  ProvisioningRunReport,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { InMemoryIngestionKeysApi } from './InMemoryIngestionKeysApi';

const entityRef = 'component:default/checkout-api';

/** A fake with `annotation` declared for checkout-api and one provisioning run done. */
async function provisioned(annotation: string) {
  const api = new InMemoryIngestionKeysApi({
    now: new Date('2026-01-01T00:00:00.000Z'),
  });
  api.declare(entityRef, annotation);
  await api.runProvisioning();
  const { items } = await api.listKeys({ entityRef });
  return { api, items };
}

// The rules come from -common, where they are tested; these prove the fake applies them.
describe('InMemoryIngestionKeysApi', () => {
  it('provisions as the provisioner, sensors with remote configuration', async () => {
    const { items } = await provisioned('production:sensor, production:rum');
    expect(
      items.map(({ type, origin, createdBy, remoteConfig }) => ({
        type,
        origin,
        createdBy,
        remoteConfig,
      })),
    ).toEqual([
      {
        type: 'sensor',
        origin: 'provisioned',
        createdBy: PROVISIONER,
        remoteConfig: true,
      },
      {
        type: 'rum',
        origin: 'provisioned',
        createdBy: PROVISIONER,
        remoteConfig: false,
      },
    ]);
  });

  it('refuses to rotate a key that was rotated already', async () => {
    const { api, items } = await provisioned('production:sensor');
    await api.rotateKey(items[0].id);
    await expect(api.rotateKey(items[0].id)).rejects.toMatchObject({
      name: 'ConflictError',
      message: `Key ${items[0].name} has already been rotated; rotate its successor instead`,
    });
  });

  it('keeps the successor of a provisioned key under provisioning', async () => {
    const { api, items } = await provisioned('production:sensor');
    const { key: successor } = await api.rotateKey(items[0].id);
    expect(successor).toMatchObject({
      origin: 'provisioned',
      createdBy: 'user:default/alice',
      replacesId: items[0].id,
    });

    api.declare(entityRef, undefined);
    await api.runProvisioning();
    const { undesired } = await api.getProvisioningStatus();
    expect(undesired.map(({ keyId, reason }) => ({ keyId, reason }))).toEqual([
      { keyId: successor.id, reason: 'entity-removed' },
    ]);
  });

  it('shows an entry as failed when the last run stopped early', async () => {
    const { api } = await provisioned('production:rum');
    api.declare(entityRef, 'production:rum, staging:rum');
    const { lastRun } = await api.getProvisioningStatus();
    api.setLastRun({
      ...(lastRun as ProvisioningRunReport),
      error: 'the key store could not be listed',
    });
    const { entries } = await api.getEntityProvisioningStatus(entityRef);
    expect(
      entries.map(({ entry, state, reason }) => ({ entry, state, reason })),
    ).toEqual([
      { entry: 'production:rum', state: 'provisioned', reason: undefined },
      {
        entry: 'staging:rum',
        state: 'failed',
        reason:
          'the last provisioning run stopped early: the key store could not be listed',
      },
    ]);
  });

  it("delivers to the identity's targets like the backend: refusals, successors, removal", async () => {
    const api = new InMemoryIngestionKeysApi();
    const { key } = await api.createKey({
      entityRef,
      environment: 'production',
      type: 'sensor',
    });
    await expect(
      api.addDeliveryTarget(key.id, { target: 'no-kind' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      api.addDeliveryTarget(key.id, { target: 's3:bucket' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    const added = await api.addDeliveryTarget(key.id, {
      target: 'kubernetes:prod-eu/groundcover',
    });
    expect(added).toMatchObject({
      origin: 'manual',
      currentKeyId: key.id,
      lastDelivery: { outcome: 'delivered', generation: 1 },
    });
    await expect(
      api.addDeliveryTarget(key.id, {
        target: 'kubernetes:prod-eu/groundcover',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });

    // The rotation's successor goes to the same target.
    const successor = await api.rotateKey(key.id);
    const again = await api.deliverToTarget(added.id);
    expect(again).toMatchObject({
      currentKeyId: successor.key.id,
      currentGeneration: 2,
    });

    const declared = api.declareTarget(key.id, 'external-secrets:eu');
    expect(declared.lastDelivery).toBeUndefined();
    await expect(api.removeDeliveryTarget(declared.id)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await api.removeDeliveryTarget(added.id);
    expect((await api.listDeliveryTargets(entityRef)).items).toEqual([
      expect.objectContaining({ id: declared.id }),
    ]);
  });
});
