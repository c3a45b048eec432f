import { ProvisioningRunReport } from './types';

/**
 * The report of a provisioning run that has done nothing yet: what a run counts into.
 *
 * @public
 */
export function emptyRunReport(startedAt: string): ProvisioningRunReport {
  return {
    startedAt,
    finishedAt: startedAt,
    entitiesSeen: 0,
    keysDesired: 0,
    keysCreated: 0,
    keysAdopted: 0,
    keysRevoked: 0,
    failed: [],
    invalidEntries: [],
    undesiredCount: 0,
    storeCalls: { list: 0, create: 0 },
  };
}
