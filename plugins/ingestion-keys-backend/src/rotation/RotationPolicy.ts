import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { MaxAgeRule } from '../service/readIngestionKeysConfig';

/**
 * The age policy (`ingestionKeys.rotation.maxAge`): when a key is due for rotation. The first
 * rule whose environment and type match the key applies; a rule without them matches all.
 */
export class RotationPolicy {
  static create(options: { maxAge: MaxAgeRule[] }) {
    return new RotationPolicy(options.maxAge);
  }

  private constructor(private readonly maxAge: MaxAgeRule[]) {}

  /** The smallest maximum age: no key younger than it is due. Undefined without rules. */
  get youngestDueMs(): number | undefined {
    return this.maxAge.length
      ? Math.min(...this.maxAge.map(r => r.maxAgeMs))
      : undefined;
  }

  /** When an active key reaches its maximum age; undefined when no rule applies or it is not active. */
  dueAt(
    key: Pick<IngestionKey, 'status' | 'environment' | 'type' | 'createdAt'>,
  ): Date | undefined {
    if (key.status !== 'active') {
      return undefined;
    }
    const rule = this.maxAge.find(
      r =>
        (!r.environment || r.environment === key.environment) &&
        (!r.type || r.type === key.type),
    );
    return rule
      ? new Date(new Date(key.createdAt).getTime() + rule.maxAgeMs)
      : undefined;
  }

  /** The key as the API shows it, with `rotationDueAt` where a rule applies. */
  present(key: IngestionKey): IngestionKey {
    const due = this.dueAt(key);
    return due ? { ...key, rotationDueAt: due.toISOString() } : key;
  }
}
