import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';

export type AuditedEvent = Parameters<AuditorService['createEvent']>[0] & {
  /** Key id, name and entity: never a secret. */
  meta: Record<string, string>;
};

/**
 * Runs a change inside an auditor event that succeeds or fails with it. Used for changes made on
 * a request and for those the reconciler makes on its own; `outcome` adds what the result tells
 * to the success (names and ids, never a secret).
 */
export async function runAudited<T>(
  auditor: AuditorService,
  event: AuditedEvent,
  action: () => Promise<T>,
  outcome?: (result: T) => JsonObject,
): Promise<T> {
  const audit = await auditor.createEvent(event);
  try {
    const result = await action();
    await audit.success(outcome ? { meta: outcome(result) } : undefined);
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}

/** What an audit event says about a key: which one, never its value. */
export function keyAuditMeta(
  key: Pick<IngestionKey, 'id' | 'name' | 'entityRef'>,
): Record<string, string> {
  return { keyId: key.id, keyName: key.name, entityRef: key.entityRef };
}
