import { AuditorService } from '@backstage/backend-plugin-api';

export type AuditedEvent = Parameters<AuditorService['createEvent']>[0] & {
  /** Key id, name and entity: never a secret. */
  meta: Record<string, string>;
};

/**
 * Runs a change inside an auditor event that succeeds or fails with it. Used for changes made on
 * a request and for those the reconciler makes on its own.
 */
export async function runAudited<T>(
  auditor: AuditorService,
  event: AuditedEvent,
  action: () => Promise<T>,
): Promise<T> {
  const audit = await auditor.createEvent(event);
  try {
    const result = await action();
    await audit.success();
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
