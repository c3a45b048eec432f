import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';

/** Whether a key has reached the age at which the rotation rules ask for its rotation. */
export function isRotationDue(
  key: Pick<IngestionKey, 'rotationDueAt'>,
  now: Date = new Date(),
): boolean {
  return (
    key.rotationDueAt !== undefined &&
    new Date(key.rotationDueAt).getTime() <= now.getTime()
  );
}
