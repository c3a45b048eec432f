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

  /**
   * Returns the entity, or undefined for a key whose entity has left the catalog: those keys
   * are for admins only.
   */
  async authorizeEntity(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    options: { allowMissingEntityForAdmins?: boolean } = {},
  ): Promise<Entity | undefined> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      if (
        options.allowMissingEntityForAdmins &&
        (await this.isAdmin(credentials))
      ) {
        return undefined;
      }
      throw new NotFoundError(
        `No catalog entity ${entityRef} that you can see`,
      );
    }
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
    return entity;
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
