import {
  formatProvisionEntry,
  parseProvisionAnnotation,
} from './provisionAnnotation';
import {
  EntityProvisioningStatus,
  IngestionKey,
  IngestionKeySpec,
  ProvisionedKeyState,
  ProvisioningRunReport,
  UndesiredKey,
} from './types';

/**
 * What an entity's provisioning status is made of, gathered by whoever holds the keys.
 *
 * @public
 */
export interface EntityProvisioningFacts {
  /** The entity's ref, normalised as keys record it. */
  entityRef: string;
  /** The entity's `ingestion-keys/provision` annotation, undefined when it has none. */
  annotation?: string;
  environments: readonly string[];
  /** Entries of the annotation that are read, as provisioning reads them. */
  maxEntries?: number;
  /** The live key that holds a declared entry's identity, if there is one. */
  keyFor(
    spec: IngestionKeySpec,
  ): Pick<IngestionKey, 'id' | 'name' | 'status'> | undefined;
  /** The last run, or the entity's part of it: its failures and why the run stopped early. */
  lastRun?: Pick<ProvisioningRunReport, 'failed' | 'error'>;
  /** The entity's keys that nothing declares any more. */
  undesired: UndesiredKey[];
}

/**
 * Where each key an entity declares stands: provisioned once its key is active; failed with the
 * last run's reason for the entry, or with why that run stopped early; pending otherwise (not
 * made yet, or being made). Invalid entries and keys no longer declared come along.
 *
 * @public
 */
export function entityProvisioningStatus(
  facts: EntityProvisioningFacts,
): EntityProvisioningStatus {
  const { entityRef, annotation, lastRun } = facts;
  const { entries, errors } = parseProvisionAnnotation(
    annotation ?? '',
    facts.environments,
    { maxEntries: facts.maxEntries },
  );
  const failures = new Map(
    (lastRun?.failed ?? [])
      .filter(failure => failure.entityRef === entityRef)
      .map(failure => [failure.entry, failure.reason]),
  );
  const stoppedEarly =
    lastRun?.error &&
    `the last provisioning run stopped early: ${lastRun.error}`;
  return {
    entityRef,
    ...(annotation !== undefined ? { annotation } : {}),
    entries: entries.map(entry => {
      const text = formatProvisionEntry(entry);
      const key = facts.keyFor({ entityRef, ...entry });
      const provisioned = key?.status === 'active';
      const reason = provisioned
        ? undefined
        : failures.get(text) ?? stoppedEarly;
      let state: ProvisionedKeyState = 'pending';
      if (provisioned) {
        state = 'provisioned';
      } else if (reason) {
        state = 'failed';
      }
      return {
        entry: text,
        ...entry,
        state,
        ...(key ? { keyId: key.id, keyName: key.name } : {}),
        ...(reason ? { reason } : {}),
      };
    }),
    invalidEntries: errors.map(error => ({
      entityRef,
      entry: error.entry,
      reason: error.reason,
    })),
    undesired: facts.undesired,
  };
}
