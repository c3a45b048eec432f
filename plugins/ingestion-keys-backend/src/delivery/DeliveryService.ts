import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  NotFoundError,
} from '@backstage/errors';
import {
  DeliveryTargetKind,
  EXTERNAL_SECRETS_TARGET_KIND,
  IngestionKeySpec,
  KeyDeliveryTarget,
  keySpecOf,
  parseTargetRef,
  PROVISIONER,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { IngestionKeyDeliveryProvider } from '@ingestion-keys/plugin-ingestion-keys-node';
import { DeliveryTargetStore } from '../database/DeliveryTargetStore';
import { KeyRecord } from '../database/KeyRecordStore';
import {
  IngestionKeysService,
  KeyActor,
} from '../service/IngestionKeysService';
import { KeyNotifier } from '../notifications/KeyNotifier';
import { keyAuditMeta, runAudited } from '../audit/runAudited';
import { runWithConcurrency } from '../provisioning/runWithConcurrency';
import { redactSecret } from './redactSecret';

/** The scheduled task that delivers what is due and finishes rotations. */
export const DELIVERY_TASK_ID = 'ingestion-keys-delivery';

export interface DeliveryServiceOptions {
  targets: DeliveryTargetStore;
  keys: IngestionKeysService;
  /** Push providers by kind, as modules added them. */
  providers: ReadonlyMap<string, IngestionKeyDeliveryProvider>;
  /** External Secrets stores that may pull, by name, to the service subject each pulls as. */
  externalSecretsStores: ReadonlyMap<string, string>;
  managedBy: string;
  /** Deliveries in flight at once in a pass. */
  concurrency: number;
  /** How long one delivery may take before it counts as failed. */
  deliveryTimeoutMs: number;
  logger: LoggerService;
  auditor: AuditorService;
  notifier?: KeyNotifier;
  /** Runs the delivery task on request; absent where no task is scheduled (unit tests). */
  scheduler?: SchedulerService;
}

/** A target as `<kind>:<address>` in its recorded form. */
export interface ParsedTarget {
  target: string;
  kind: string;
  pull: boolean;
}

/** A declared target as the provisioning annotation gives it. */
export interface DeclaredTarget {
  spec: IngestionKeySpec;
  /** The entry it was declared in, for the report of an invalid one. */
  entry: string;
  target: string;
}

/** A new error of the same kind whose message holds no trace of the value. */
function withoutSecret(error: unknown, secret: string): Error {
  const safe = new Error(
    redactSecret(isError(error) ? error.message : String(error), secret),
  );
  safe.name = isError(error) ? error.name : 'Error';
  return safe;
}

/** Targets due a delivery read per pass: the next pass takes the rest. */
const DUE_PER_PASS = 1000;
const FAILED_LISTED = 500;

/**
 * Delivers key values to their identity's targets and records every delivery: pushed to the
 * targets that delivery providers write to, fetched by External Secrets from the pull route.
 * A value travels only from the key store to the target; what is recorded, logged, audited and
 * answered about a delivery is where it went and how it ended, never the value.
 */
export class DeliveryService {
  static create(options: DeliveryServiceOptions) {
    return new DeliveryService(options);
  }

  private constructor(private readonly options: DeliveryServiceOptions) {}

  /** Asks the scheduler for a delivery pass now; with several instances, one of them runs it. */
  async triggerRun(): Promise<void> {
    await this.options.scheduler?.triggerTask(DELIVERY_TASK_ID);
  }

  /** The kinds a person may add, for the UI. */
  kinds(): DeliveryTargetKind[] {
    const push = [...this.options.providers.values()].map(p => ({
      kind: p.kind,
      addressFormat: p.addressFormat,
      pull: false,
    }));
    const stores = [...this.options.externalSecretsStores.keys()];
    return stores.length
      ? [
          ...push,
          {
            kind: EXTERNAL_SECRETS_TARGET_KIND,
            addressFormat: `<store>; stores: ${stores.join(', ')}`,
            pull: true,
          },
        ]
      : push;
  }

  /** Checks `<kind>:<address>` and returns it in its recorded form; `InputError` says what to fix. */
  parseTarget(target: string): ParsedTarget {
    const ref = parseTargetRef(target);
    const known = this.kinds()
      .map(k => k.kind)
      .join(', ');
    if (!ref) {
      throw new InputError(
        `target "${target}" must be written <kind>:<address>, such as kubernetes:prod-eu/groundcover; kinds: ${
          known || 'none are configured'
        }`,
      );
    }
    const stores = this.options.externalSecretsStores;
    if (ref.kind === EXTERNAL_SECRETS_TARGET_KIND && stores.size) {
      if (!stores.has(ref.address)) {
        throw new InputError(
          `External Secrets store "${
            ref.address
          }" is not configured; stores: ${[...stores.keys()].join(', ')}`,
        );
      }
      return {
        target: `${ref.kind}:${ref.address}`,
        kind: ref.kind,
        pull: true,
      };
    }
    const provider = this.options.providers.get(ref.kind);
    if (!provider) {
      throw new InputError(
        `this portal does not deliver to "${ref.kind}" targets; kinds: ${
          known || 'none are configured'
        }`,
      );
    }
    const address = provider.parseAddress(ref.address);
    return { target: `${ref.kind}:${address}`, kind: ref.kind, pull: false };
  }

  async listForEntity(entityRef: string): Promise<KeyDeliveryTarget[]> {
    return this.options.targets.listByEntity(entityRef);
  }

  async listFailed(): Promise<KeyDeliveryTarget[]> {
    return this.options.targets.listFailed(FAILED_LISTED);
  }

  async getTarget(id: string): Promise<KeyDeliveryTarget> {
    const target = await this.options.targets.get(id);
    if (!target) {
      throw new NotFoundError(`No delivery target with id ${id}`);
    }
    return target;
  }

  /**
   * Adds a target to a key's identity and, for a push target, delivers the identity's active key
   * there at once, so that the answer says how it went.
   */
  async addTarget(
    key: KeyRecord,
    target: string,
    by: KeyActor,
  ): Promise<KeyDeliveryTarget> {
    if (key.status === 'revoked' || key.status === 'pending') {
      throw new ConflictError(
        `Key ${key.name} is ${key.status}; add targets to an active key`,
      );
    }
    const parsed = this.parseTarget(target);
    const added = await this.options.targets.add({
      ...keySpecOf(key),
      ...parsed,
      origin: 'manual',
      addedBy: by.actor,
    });
    return parsed.pull ? added : this.deliverToTarget(added, by.actor);
  }

  /** Removes a target a person added; the value already there stays until the key is revoked. */
  async removeTarget(target: KeyDeliveryTarget): Promise<void> {
    if (target.origin !== 'manual') {
      throw new ConflictError(
        `${target.target} is declared in the entity's ingestion-keys/provision annotation; remove it there`,
      );
    }
    await this.options.targets.remove(target.id);
  }

  /** Delivers the identity's active key to a push target now, whatever it holds. */
  async redeliver(
    target: KeyDeliveryTarget,
    by: KeyActor,
  ): Promise<KeyDeliveryTarget> {
    if (target.pull) {
      throw new ConflictError(
        `${target.target} fetches the key itself; External Secrets picks up the current key on its next refresh`,
      );
    }
    return this.deliverToTarget(target, by.actor);
  }

  /**
   * Delivers to every push target whose identity's active key it does not hold yet: new
   * targets, rotated keys' successors and deliveries that failed before. Never throws for one
   * target: its failure is recorded with it.
   */
  async deliverDue(
    signal?: AbortSignal,
  ): Promise<{ delivered: number; failed: number }> {
    const due = await this.options.targets.listDue(DUE_PER_PASS);
    const counts = { delivered: 0, failed: 0 };
    await runWithConcurrency(due, this.options.concurrency, async item => {
      if (signal?.aborted) {
        return;
      }
      const result = await this.deliverToTarget(item.target, PROVISIONER);
      counts[
        result.lastDelivery?.outcome === 'failed' ? 'failed' : 'delivered'
      ]++;
    });
    return counts;
  }

  /**
   * Delivers the identity's active key to its push targets that do not hold it yet, such as right
   * after a rotation, so that the successor is on its way before the next pass.
   */
  async deliverIdentity(
    spec: IngestionKeySpec,
    by: KeyActor,
  ): Promise<KeyDeliveryTarget[]> {
    const key = await this.options.keys.activeKeyOf(spec);
    const targets = await this.options.targets.listByIdentity(spec);
    const due = targets.filter(
      t => !t.pull && key && t.currentKeyId !== key.id,
    );
    return Promise.all(due.map(t => this.deliverToTarget(t, by.actor)));
  }

  /** Delivers the identity's active key to the target in `actor`'s name, or records why not. */
  private async deliverToTarget(
    target: KeyDeliveryTarget,
    actor: string,
  ): Promise<KeyDeliveryTarget> {
    const key = await this.options.keys.activeKeyOf(target);
    if (!key) {
      throw new ConflictError(
        `The ${target.environment} ${target.type} key of ${target.entityRef} has no active key to deliver; create one first`,
      );
    }
    const provider = this.options.providers.get(target.kind);
    const { address } = parseTargetRef(target.target)!;
    let secret = '';
    try {
      return await runAudited(
        this.options.auditor,
        {
          eventId: 'key-deliver',
          severityLevel: 'high',
          meta: { ...keyAuditMeta(key), target: target.target, actor },
        },
        async () => {
          if (!provider) {
            throw new Error(
              `no delivery provider for "${target.kind}" targets is installed any more`,
            );
          }
          secret = await this.options.keys.secretForDelivery(key);
          const { location } = await provider
            .deliver({
              address,
              key: {
                ...keySpecOf(key),
                id: key.id,
                name: key.name,
                generation: key.generation,
              },
              secret,
              managedBy: this.options.managedBy,
              signal: AbortSignal.timeout(this.options.deliveryTimeoutMs),
            })
            .catch(error => {
              // The provider's error (its message, stack and cause) never reaches the audit
              // record or the log: only its kind and its message without the value.
              throw withoutSecret(error, secret);
            });
          const delivered = await this.options.targets.recordDelivery(
            target.id,
            {
              keyId: key.id,
              keyName: key.name,
              generation: key.generation,
              outcome: 'delivered',
              location,
            },
          );
          await this.options.keys.recordEvent(key, 'delivered', actor);
          this.options.logger.info(
            `Delivered ingestion key ${key.name} to ${target.target}`,
            { keyId: key.id, targetId: target.id },
          );
          return delivered;
        },
      );
    } catch (error) {
      const reason = withoutSecret(error, secret).message;
      this.options.logger.warn(
        `Could not deliver ingestion key ${key.name} to ${target.target}: ${reason}`,
        { keyId: key.id, targetId: target.id },
      );
      const failed = await this.options.targets.recordDelivery(target.id, {
        keyId: key.id,
        keyName: key.name,
        generation: key.generation,
        outcome: 'failed',
        error: reason,
      });
      // Owners hear of a target starting to fail, not of every pass that finds it still failing.
      const before = target.lastDelivery;
      if (before?.outcome !== 'failed' || before.keyId !== key.id) {
        await this.options.notifier?.deliveryFailed(failed, reason);
      }
      return failed;
    }
  }

  /**
   * The current value of a key for an External Secrets store: the active key of the identity the
   * named key belongs to (any of its generations' names works, so a manifest survives rotations),
   * if that identity is delivered to the store. Anything else is the same 404, so that a store
   * learns nothing of keys not delivered to it.
   */
  async pull(
    store: string,
    keyName: string,
    subject: string,
  ): Promise<{ name: string; value: string; generation: number }> {
    const notDelivered = new NotFoundError(
      `No key named ${keyName} is delivered to External Secrets store ${store}`,
    );
    const named = await this.options.keys.getKeyByName(keyName);
    const key = named && (await this.options.keys.activeKeyOf(named));
    const targetName = `${EXTERNAL_SECRETS_TARGET_KIND}:${store}`;
    const target =
      key &&
      (await this.options.targets.listByIdentity(key)).find(
        t => t.target === targetName,
      );
    if (!key || !target) {
      throw notDelivered;
    }
    const value = await this.options.keys.secretForDelivery(key);
    await this.options.targets.recordDelivery(target.id, {
      keyId: key.id,
      keyName: key.name,
      generation: key.generation,
      outcome: 'fetched',
      location: `External Secrets store ${store}`,
    });
    await this.options.keys.recordEvent(key, 'fetched', subject);
    return { name: key.name, value, generation: key.generation };
  }

  /**
   * Makes the annotation-declared targets these, after checking each; a target that cannot be
   * delivered to is reported as an invalid entry and left out. Only called after a complete
   * provisioning run, so that a run that stopped early removes nothing.
   */
  async syncDeclared(declared: DeclaredTarget[]): Promise<{
    added: number;
    removed: number;
    invalid: Array<{ entityRef: string; entry: string; reason: string }>;
  }> {
    const invalid: Array<{ entityRef: string; entry: string; reason: string }> =
      [];
    const valid = declared.flatMap(d => {
      try {
        return [
          {
            ...keySpecOf(d.spec),
            ...this.parseTarget(d.target),
            origin: 'annotation' as const,
            addedBy: PROVISIONER,
          },
        ];
      } catch (error) {
        invalid.push({
          entityRef: d.spec.entityRef,
          entry: `${d.entry} -> ${d.target}`,
          reason: isError(error) ? error.message : String(error),
        });
        return [];
      }
    });
    const { added, removed } = await this.options.targets.replaceDeclared(
      valid,
    );
    return { added, removed, invalid };
  }

  /**
   * When the last of the successor's identity's targets came to hold it, once all of them do;
   * undefined while one does not, or when the identity has no targets (nothing to wait for, and
   * nothing delivered: such a rotation is finished by a person).
   */
  async deliveredEverywhereAt(successor: KeyRecord): Promise<Date | undefined> {
    const targets = await this.options.targets.listByIdentity(successor);
    if (
      targets.length === 0 ||
      !targets.every(t => t.currentKeyId === successor.id)
    ) {
      return undefined;
    }
    return new Date(
      Math.max(...targets.map(t => new Date(t.currentSince!).getTime())),
    );
  }

  /** Whether any target takes this identity's keys. */
  async hasTargets(spec: IngestionKeySpec): Promise<boolean> {
    return (await this.options.targets.listByIdentity(spec)).length > 0;
  }
}
