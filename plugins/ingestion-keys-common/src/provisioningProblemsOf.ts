import { EntityProvisioningStatus, OwnedProvisioningProblems } from './types';

/**
 * The problems among the provisioning statuses of several entities, one list per kind: declared
 * keys the last run could not create (with the reason the entity's readers are told), annotation
 * entries it skipped, and provisioned keys no longer declared.
 *
 * @public
 */
export function provisioningProblemsOf(
  statuses: EntityProvisioningStatus[],
): OwnedProvisioningProblems {
  return {
    failed: statuses.flatMap(status =>
      status.entries.flatMap(entry =>
        entry.state === 'failed'
          ? [
              {
                entityRef: status.entityRef,
                entry: entry.entry,
                reason: entry.reason ?? '',
              },
            ]
          : [],
      ),
    ),
    invalidEntries: statuses.flatMap(status => status.invalidEntries),
    undesired: statuses.flatMap(status => status.undesired),
  };
}
