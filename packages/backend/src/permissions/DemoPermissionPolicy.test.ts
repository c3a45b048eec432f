import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  ingestionKeyCreatePermission,
  ingestionKeyReadPermission,
  ingestionKeyRevealPermission,
  ingestionKeyRevokePermission,
  ingestionKeyRotatePermission,
  ingestionKeysAdminPermission,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { DemoPermissionPolicy } from './DemoPermissionPolicy';

function userWith(...ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as PolicyQueryUser;
}

describe('DemoPermissionPolicy', () => {
  const policy = DemoPermissionPolicy.create({
    adminGroups: ['platform-admins'],
  });
  const alice = userWith('user:default/alice', 'group:default/team-checkout');
  const carol = userWith(
    'user:default/carol',
    'group:default/team-platform',
    'group:default/platform-admins',
  );

  it('lets anyone signed in read key metadata', async () => {
    await expect(
      policy.handle({ permission: ingestionKeyReadPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it.each([
    ingestionKeyCreatePermission,
    ingestionKeyRevealPermission,
    ingestionKeyRotatePermission,
    ingestionKeyRevokePermission,
  ])('leaves $name to the owners of the entity', async permission => {
    const decision = await policy.handle({ permission }, alice);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/alice', 'group:default/team-checkout'],
        },
      },
    });
  });

  it('keeps the org-wide list for admins', async () => {
    await expect(
      policy.handle({ permission: ingestionKeysAdminPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: ingestionKeysAdminPermission }, carol),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets members of an admin group do everything', async () => {
    for (const permission of [
      ingestionKeyRevealPermission,
      ingestionKeyRevokePermission,
      catalogEntityDeletePermission,
    ]) {
      await expect(policy.handle({ permission }, carol)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('handles the catalog defaults: read for all, delete for owners', async () => {
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      alice,
    );
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
  });

  it('grants nothing beyond reading to callers without ownership claims', async () => {
    const decision = await policy.handle({
      permission: ingestionKeyRevealPermission,
    });
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { claims: [] } },
    });
  });
});
