import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { KeyRecord, KeyRecordStore } from '../database/KeyRecordStore';
import { DeliveryService } from '../delivery/DeliveryService';
import { IngestionKeysService } from '../service/IngestionKeysService';
import { KeyNotifier } from '../notifications/KeyNotifier';
import { RotationPolicy } from './RotationPolicy';

/** Keys read per database query. */
const PAGE_SIZE = 500;

export interface RotationFinisherOptions {
  records: KeyRecordStore;
  keys: IngestionKeysService;
  deliveries: DeliveryService;
  policy: RotationPolicy;
  automatic: boolean;
  revokeAfterDeliveryMs?: number;
  logger: LoggerService;
  notifier?: KeyNotifier;
}

/**
 * Closes the rotation loop for delivered keys: rotates those past their age (when automatic),
 * and revokes a rotated key once its successor has reached every target of its identity and the
 * grace period has passed. The old key is never revoked while one target lacks the successor.
 */
export class RotationFinisher {
  static create(options: RotationFinisherOptions) {
    return new RotationFinisher(options);
  }

  private constructor(private readonly options: RotationFinisherOptions) {}

  /** Rotates active delivered keys past their maximum age; returns how many. */
  async rotateAged(signal?: AbortSignal): Promise<number> {
    const { keys, deliveries, policy } = this.options;
    const { youngestDueMs } = policy;
    if (!this.options.automatic || youngestDueMs === undefined) {
      return 0;
    }
    const now = Date.now();
    const aged = [];
    // Oldest first, so that the scan stops at the first key younger than any maximum age.
    for await (const page of this.pages('active', 'asc', signal)) {
      const old = page.filter(
        k => new Date(k.createdAt).getTime() <= now - youngestDueMs,
      );
      aged.push(
        ...old.filter(k => (policy.dueAt(k)?.getTime() ?? Infinity) <= now),
      );
      if (old.length < page.length) {
        break;
      }
    }
    let rotated = 0;
    for (const key of aged) {
      if (signal?.aborted || !(await deliveries.hasTargets(key))) {
        continue;
      }
      try {
        await keys.rotateAgedKey(key);
        rotated++;
      } catch (error) {
        this.options.logger.warn(
          `Could not rotate ingestion key ${key.name} past its maximum age: ${
            isError(error) ? error.message : error
          }`,
          { keyId: key.id },
        );
      }
    }
    return rotated;
  }

  /** Keys of one status by creation time, page by page, until the run is aborted. */
  private async *pages(
    status: 'active' | 'rotating',
    order: 'asc' | 'desc',
    signal?: AbortSignal,
  ): AsyncIterable<KeyRecord[]> {
    for (let offset = 0; !signal?.aborted; offset += PAGE_SIZE) {
      const { items } = await this.options.records.list({
        status,
        orderBy: 'createdAt',
        order,
        limit: PAGE_SIZE,
        offset,
      });
      yield items;
      if (items.length < PAGE_SIZE) {
        return;
      }
    }
  }

  /** Revokes rotated keys whose successors reached every target a grace period ago. */
  async finishDelivered(signal?: AbortSignal): Promise<number> {
    const { records, keys, deliveries, revokeAfterDeliveryMs } = this.options;
    if (revokeAfterDeliveryMs === undefined) {
      return 0;
    }
    const now = Date.now();
    const finishable = [];
    for await (const page of this.pages('rotating', 'desc', signal)) {
      finishable.push(...page);
    }
    let finished = 0;
    for (const old of finishable) {
      const successor = old.replacedById
        ? await records.get(old.replacedById)
        : undefined;
      if (signal?.aborted || successor?.status !== 'active') {
        continue;
      }
      const deliveredAt = await deliveries.deliveredEverywhereAt(successor);
      if (!deliveredAt || now - deliveredAt.getTime() < revokeAfterDeliveryMs) {
        continue;
      }
      try {
        await keys.finishRotation(old);
        await this.options.notifier?.rotationFinished(old, successor);
        finished++;
      } catch (error) {
        this.options.logger.warn(
          `Could not revoke the rotated ingestion key ${old.name}: ${
            isError(error) ? error.message : error
          }`,
          { keyId: old.id },
        );
      }
    }
    return finished;
  }
}
