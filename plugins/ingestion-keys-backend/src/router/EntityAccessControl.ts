import {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ingestionKeyCreatePermission,
  ingestionKeyRevealPermission,
  ingestionKeyRevokePermission,
  ingestionKeyRotatePermission,
  ingestionKeysAdminPermission,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  ServiceAccess,
  ServiceOperation,
} from '../service/readIngestionKeysConfig';
import { PROVISIONING_ENTITY_FIELDS } from '../provisioning/provisioningEntityFields';

/** Enough of an entity to tell that the caller can see it. */
const REF_FIELDS = ['kind', 'metadata.namespace', 'metadata.name'];

/** What a service needs `ingestionKeys.serviceAccess` for; reading metadata needs nothing. */
const SERVICE_OPERATION_OF: Record<string, ServiceOperation> = {
  [ingestionKeyCreatePermission.name]: 'create',
  [ingestionKeyRevealPermission.name]: 'reveal',
  [ingestionKeyRotatePermission.name]: 'rotate',
  [ingestionKeyRevokePermission.name]: 'revoke',
  [ingestionKeysAdminPermission.name]: 'admin',
};

/**
 * Decides whether a caller may act on the keys of an entity: the entity is read from the catalog
 * with the caller's own credentials (so an entity they cannot see answers 404), then the
 * permission is authorized against it, which lets a policy decide from catalog ownership.
 *
 * Backend services pass every permission check of the framework, so the plugin keeps its own
 * least-privilege rule for them: they may read metadata, and do anything else only where
 * `ingestionKeys.serviceAccess` allows their subject. Their entity reads use the plugin's own
 * credentials, since a token restricted to this plugin cannot be forwarded to the catalog.
 */
export class EntityAccessControl {
  static create(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    auth: AuthService;
    userInfo: UserInfoService;
    serviceAccess: ServiceAccess;
  }) {
    return new EntityAccessControl(
      options.catalog,
      options.permissions,
      options.auth,
      options.userInfo,
      options.serviceAccess,
    );
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
    private readonly auth: AuthService,
    private readonly userInfo: UserInfoService,
    private readonly serviceAccess: ServiceAccess,
  ) {}

  /**
   * The entities a signed-in user's teams own (their ownership refs: the user and the groups
   * sign-in put in their token), as the user may see them in the catalog, and of those the ones
   * the user holds the permission on. Who the user's teams are comes from their token on the
   * server, never from the request. `what` completes "… is for signed-in users" for services.
   */
  async ownedEntities(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    what: string,
  ): Promise<Entity[]> {
    if (!this.auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        `${what} is for signed-in users; a backend service names the entity (entityRef)`,
      );
    }
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      credentials,
    );
    if (ownershipEntityRefs.length === 0) {
      return [];
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: { 'relations.ownedBy': ownershipEntityRefs },
        fields: PROVISIONING_ENTITY_FIELDS,
      },
      { credentials },
    );
    if (items.length === 0) {
      return [];
    }
    const decisions = await this.permissions.authorize(
      items.map(entity => ({
        permission,
        resourceRef: stringifyEntityRef(entity),
      })),
      { credentials },
    );
    return items.filter(
      (_entity, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
  }

  /**
   * Returns the entity (its ref, annotations and relations) when the caller may see it and holds
   * the permission on it.
   */
  async authorizeEntity(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
  ): Promise<Entity> {
    const entity = await this.readEntity(
      entityRef,
      PROVISIONING_ENTITY_FIELDS,
      await this.catalogCredentialsFor(credentials, permission),
    );
    if (!entity) {
      throw new NotFoundError(
        `No catalog entity ${entityRef} that you can see`,
      );
    }
    await this.authorizeOn(credentials, permission, entityRef);
    return entity;
  }

  /**
   * Like {@link EntityAccessControl.authorizeEntity} for an existing key (or a key's delivery
   * target, `what`), whose entity may have left the catalog since: such keys are for admins
   * only. A caller who cannot see the entity gets the answer for a key that does not exist,
   * which names neither the entity nor the fact that the key exists.
   */
  async authorizeKeyEntity(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    key: { id: string; entityRef: string },
    what = 'ingestion key',
  ): Promise<void> {
    const entity = await this.readEntity(
      key.entityRef,
      REF_FIELDS,
      await this.catalogCredentialsFor(credentials, permission),
    );
    if (entity) {
      await this.authorizeOn(credentials, permission, key.entityRef);
    } else if (!(await this.isAdmin(credentials))) {
      throw new NotFoundError(`No ${what} with id ${key.id}`);
    }
  }

  /**
   * The entity as the caller may see it, with only the fields asked for: every request reads
   * one, and the whole entity (spec, links, status) is several times the size of what is used.
   */
  private async readEntity(
    entityRef: string,
    fields: string[],
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: [entityRef], fields },
      { credentials },
    );
    return items[0] ?? undefined;
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
    const missing = this.missingServiceAccess(
      credentials,
      ingestionKeysAdminPermission,
    );
    if (missing) {
      throw new NotAllowedError(
        `${what} is for ingestion-keys admins; for this backend service, ${missing}`,
      );
    }
    if (!(await this.isAdmin(credentials))) {
      throw new NotAllowedError(`${what} is for ingestion-keys admins`);
    }
  }

  /**
   * The credentials to read the entity with: the caller's own for users; for a service that
   * config allows the permission's operation, the plugin's own.
   */
  private async catalogCredentialsFor(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
  ): Promise<BackstageCredentials> {
    if (!this.auth.isPrincipal(credentials, 'service')) {
      return credentials;
    }
    const missing = this.missingServiceAccess(credentials, permission);
    if (missing) {
      throw new NotAllowedError(
        `Backend services may not ${describe(
          permission,
        )} unless config allows it: ${missing}`,
      );
    }
    return this.auth.getOwnServiceCredentials();
  }

  /** For a service that config does not allow the permission's operation: the config to add. */
  private missingServiceAccess(
    credentials: BackstageCredentials,
    permission: { name: string },
  ): string | undefined {
    const operation = SERVICE_OPERATION_OF[permission.name];
    if (!operation || !this.auth.isPrincipal(credentials, 'service')) {
      return undefined;
    }
    const { subject } = credentials.principal as BackstageServicePrincipal;
    return this.serviceAccess.get(subject)?.has(operation)
      ? undefined
      : `add { subject: '${subject}', allow: ['${operation}'] } to ingestionKeys.serviceAccess`;
  }

  /**
   * Whether the caller is an ingestion-keys admin, who is told details others are not. A service
   * is one only where config allows it `admin` (and its token restrictions do).
   */
  async isAdmin(credentials: BackstageCredentials): Promise<boolean> {
    if (this.missingServiceAccess(credentials, ingestionKeysAdminPermission)) {
      return false;
    }
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
