import { KeyRecordStore } from '../database/KeyRecordStore';
import { KeyNotifier } from './KeyNotifier';

export const ROTATION_REMINDERS_TASK_ID = 'ingestion-keys-rotation-reminders';

/** Rotating keys read per database query. */
const PAGE_SIZE = 500;

/**
 * Reminds the owners of every key that has been `rotating` for at least `remindAfterMs` (since
 * its successor was made) to revoke it once the rollout is done. Run by a scheduled task every
 * `remindAfterMs`, so a forgotten old key is brought up again at that pace until it is revoked;
 * each reminder marks the rotation's one notification unread again rather than adding another.
 */
export class RotationReminders {
  static create(options: {
    records: KeyRecordStore;
    notifier: KeyNotifier;
    remindAfterMs: number;
  }) {
    return new RotationReminders(options);
  }

  private constructor(
    private readonly options: {
      records: KeyRecordStore;
      notifier: KeyNotifier;
      remindAfterMs: number;
    },
  ) {}

  /** Sends the reminders that are due; returns how many. */
  async run(): Promise<number> {
    const { records, notifier, remindAfterMs } = this.options;
    const dueBefore = Date.now() - remindAfterMs;
    let sent = 0;
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const { items } = await records.list({
        status: 'rotating',
        orderBy: 'createdAt',
        limit: PAGE_SIZE,
        offset,
      });
      for (const old of items) {
        const successor = old.replacedById
          ? await records.get(old.replacedById)
          : undefined;
        if (successor && new Date(successor.createdAt).getTime() <= dueBefore) {
          await notifier.revokeRotatedKey(old, successor, successor.createdBy);
          sent++;
        }
      }
      if (items.length < PAGE_SIZE) {
        return sent;
      }
    }
  }
}
