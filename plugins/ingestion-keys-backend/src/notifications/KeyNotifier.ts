import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import {
  entityKeysTabPath,
  IngestionKey,
  KeyDelivery,
  KeyDeliveryTarget,
  ProvisioningProblem,
  UndesiredReason,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** The notification topic of every message this plugin sends. */
export const NOTIFICATION_TOPIC = 'ingestion-keys';

type NotifiedKey = Pick<IngestionKey, 'id' | 'name' | 'entityRef' | 'ownerRef'>;

const UNDESIRED_BECAUSE: Record<UndesiredReason, string> = {
  'entity-removed': 'the entity left the catalog',
  'entry-removed':
    'no entry of its ingestion-keys/provision annotation asks for it any more',
};

/**
 * Tells an entity's owners what happened to its keys, through Backstage's notifications (the
 * entity as recipient: the notifications backend resolves its owners). Messages name keys and
 * link to the entity's Ingestion Keys tab; they never carry a key's value, since notifications
 * are stored, listed and may be forwarded (e-mail, chat) beyond the portal.
 *
 * A failed send is logged and never fails the change it reports: a revoke must not be undone,
 * or answered as failed, because the notifications backend was down.
 */
export class KeyNotifier {
  static create(options: {
    notifications: NotificationService;
    logger: LoggerService;
    catalog: CatalogService;
    auth: AuthService;
  }) {
    return new KeyNotifier(
      options.notifications,
      options.logger,
      options.catalog,
      options.auth,
    );
  }

  private constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async keyRevoked(key: NotifiedKey, by: string): Promise<void> {
    await this.send(key, {
      title: `Ingestion key ${key.name} was revoked`,
      description: `${by} revoked the ingestion key ${key.name} of ${key.entityRef}. Senders still using it are refused from now on.`,
      severity: 'high',
      scope: `key:${key.id}:revoked`,
    });
  }

  /** Sent at the rotation and again by the reminders while the old key is still `rotating`. */
  async revokeRotatedKey(
    old: NotifiedKey,
    successor: Pick<IngestionKey, 'name'>,
    rotatedBy?: string,
  ): Promise<void> {
    await this.send(old, {
      title: `Revoke ${old.name} once ${successor.name} is rolled out`,
      description: `${
        rotatedBy ? `${rotatedBy} rotated` : 'You rotated'
      } the ingestion key ${old.name} of ${old.entityRef}; ${
        successor.name
      } replaces it. The old key stays valid until it is revoked: once every sender uses the new key, revoke ${
        old.name
      } on the Ingestion Keys tab.`,
      severity: 'normal',
      // One notification per rotation: a reminder marks it unread again instead of adding one.
      scope: `key:${old.id}:rotated`,
    });
  }

  /** A rotation finished by itself: the successor reached every target and the old key was revoked. */
  async rotationFinished(
    old: NotifiedKey,
    successor: Pick<IngestionKey, 'name'>,
  ): Promise<void> {
    await this.send(old, {
      title: `Rotation of ${old.name} finished`,
      description: `${successor.name} reached every delivery target of ${old.entityRef}, so ${old.name} was revoked after the grace period. Senders that still use ${old.name} are refused from now on.`,
      severity: 'normal',
      scope: `key:${old.id}:rotated`,
    });
  }

  /** Scoped per target: a target that fails again after it recovered marks the one notification unread. */
  async deliveryFailed(
    target: Pick<KeyDeliveryTarget, 'id' | 'entityRef' | 'target'> & {
      lastDelivery?: Pick<KeyDelivery, 'keyName'>;
    },
    reason: string,
  ): Promise<void> {
    await this.send(target, {
      title: `Delivering ${target.lastDelivery?.keyName ?? 'a key'} to ${
        target.target
      } failed`,
      description: `${reason}. Delivery is tried again every few minutes; retry it on the Ingestion Keys tab once fixed.`,
      severity: 'high',
      scope: `target:${target.id}:failed`,
    });
  }

  async keyUndesired(key: NotifiedKey, reason: UndesiredReason): Promise<void> {
    await this.send(key, {
      title: `Ingestion key ${key.name} is no longer declared`,
      description: `The provisioned key ${key.name} of ${key.entityRef} is undesired: ${UNDESIRED_BECAUSE[reason]}. Declare it again to keep it, or revoke it once nothing sends with it.`,
      severity: 'normal',
      scope: `key:${key.id}:undesired`,
    });
  }

  /** `problem` as the entity's readers may be told it (`readerReason` where there is one). */
  async provisioningFailed(problem: ProvisioningProblem): Promise<void> {
    await this.send(
      { entityRef: problem.entityRef },
      {
        title: `Provisioning ${problem.entry} of ${problem.entityRef} failed`,
        description: `${
          problem.readerReason ?? problem.reason
        }. Provisioning tries again on its next run.`,
        severity: 'high',
        scope: `provisioning:${problem.entityRef}:${problem.entry}`,
      },
    );
  }

  /** To the owners of the key's entity, linking to the entity's tab. */
  private async send(
    about: Pick<NotifiedKey, 'entityRef' | 'ownerRef'>,
    payload: Omit<NotificationPayload, 'link' | 'topic'>,
  ): Promise<void> {
    try {
      await this.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: await this.recipientOf(about),
        },
        payload: {
          ...payload,
          link: entityKeysTabPath(about.entityRef),
          topic: NOTIFICATION_TOPIC,
        },
      });
    } catch (error) {
      this.logger.warn(
        `Could not notify the owners of ${about.entityRef}: "${payload.title}"`,
        error as Error,
      );
    }
  }

  /**
   * The entity, whose owners the notifications backend resolves; for an entity that left the
   * catalog (which resolves to nobody), the owner recorded on the key when it was made.
   */
  private async recipientOf(
    about: Pick<NotifiedKey, 'entityRef' | 'ownerRef'>,
  ): Promise<string> {
    if (!about.ownerRef) {
      return about.entityRef;
    }
    const entity = await this.catalog.getEntityByRef(about.entityRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    return entity ? about.entityRef : about.ownerRef;
  }
}
