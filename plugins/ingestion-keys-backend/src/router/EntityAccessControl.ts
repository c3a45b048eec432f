import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { ingestionKeysAdminPermission } from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * Decides whether a caller may act on the keys of an entity: the entity is read from the catalog
 * with the caller's own credentials (so an entity they cannot see answers 404), then the
 * permission is authorized against it, which lets a policy decide from catalog ownership.
 */
export class EntityAccessControl {
  static create(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
  }) {
    return new EntityAccessControl(options.catalog, options.permissions);
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
  ) {}

  /** Returns the entity when the caller may see it and holds the permission on it. */
  async authorizeEntity(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
  ): Promise<Entity> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No catalog entity ${entityRef} that you can see`,
      );
    }
    await this.authorizeOn(credentials, permission, entityRef);
    return entity;
  }

  /**
   * Like {@link EntityAccessControl.authorizeEntity} for an existing key, whose entity may have
   * left the catalog since: such keys are for admins only. A caller who cannot see the entity
   * gets the answer for a key that does not exist, which names neither the entity nor the fact
   * that the key exists.
   */
  async authorizeKeyEntity(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    key: { id: string; entityRef: string },
  ): Promise<void> {
    const entity = await this.catalog.getEntityByRef(key.entityRef, {
      credentials,
    });
    if (entity) {
      await this.authorizeOn(credentials, permission, key.entityRef);
    } else if (!(await this.isAdmin(credentials))) {
      throw new NotFoundError(`No ingestion key with id ${key.id}`);
    }
  }

  private async authorizeOn(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${describe(
          permission,
        )} of ${entityRef}; ask one of its owners`,
      );
    }
  }

  /** `what` completes "… is for ingestion-keys admins" in the 403 message. */
  async authorizeAdmin(
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void> {
    if (!(await this.isAdmin(credentials))) {
      throw new NotAllowedError(`${what} is for ingestion-keys admins`);
    }
  }

  private async isAdmin(credentials: BackstageCredentials): Promise<boolean> {
    const [decision] = await this.permissions.authorize(
      [{ permission: ingestionKeysAdminPermission as BasicPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }
}

function describe(permission: ResourcePermission<'catalog-entity'>): string {
  const action = permission.name.split('.').pop();
  return action === 'read'
    ? 'see the ingestion keys'
    : `${action} ingestion keys`;
}
