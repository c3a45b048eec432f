import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { emptyRunReport } from '@ingestion-keys/plugin-ingestion-keys-common';
import { migrateDatabase } from './migrateDatabase';
import {
  ProvisioningRunStore,
  REPORT_PROBLEMS_LISTED,
} from './ProvisioningRunStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** `count` problems, spread over entities a, b and c in turn. */
const problems = (count: number, reason: string) =>
  Array.from({ length: count }, (_, i) => ({
    entityRef: `component:default/${'abc'[i % 3]}`,
    entry: `production:thirdParty:i${i}`,
    reason,
  }));

describe.each(databases.eachSupportedId())(
  'ProvisioningRunStore on %s',
  databaseId => {
    async function runStore() {
      const db = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      return ProvisioningRunStore.create({ db });
    }

    it('stores a bounded report: the first problems of each kind and a count of the rest', async () => {
      const runs = await runStore();
      const report = {
        ...emptyRunReport(new Date().toISOString()),
        failed: problems(REPORT_PROBLEMS_LISTED + 150, 'the store said no'),
        invalidEntries: problems(REPORT_PROBLEMS_LISTED + 2, 'bad entry'),
      };
      await runs.save(report);
      expect(await runs.latest()).toEqual({
        ...report,
        failed: report.failed.slice(0, REPORT_PROBLEMS_LISTED),
        invalidEntries: report.invalidEntries.slice(0, REPORT_PROBLEMS_LISTED),
        unlisted: { failed: 150, invalidEntries: 2 },
      });
    });

    it("answers an entity's part of the last run, all its failures included", async () => {
      const runs = await runStore();
      const first = {
        ...emptyRunReport(new Date().toISOString()),
        failed: problems(3 * REPORT_PROBLEMS_LISTED, 'first run'),
      };
      await runs.save(first);
      const entityC = first.failed.filter(
        f => f.entityRef === 'component:default/c',
      );
      // More than the stored report lists come after its listed ones: read from c's own part.
      expect(await runs.latestFor('component:default/c')).toEqual({
        failed: entityC,
      });

      await runs.save({
        ...emptyRunReport(new Date().toISOString()),
        failed: problems(1, 'second run'),
        error: 'the key store is unreachable',
      });
      expect(await runs.latestFor('component:default/a')).toEqual({
        failed: problems(1, 'second run'),
        error: 'the key store is unreachable',
      });
      // The last run had nothing for c: its failures of the run before are not its status.
      expect(await runs.latestFor('component:default/c')).toEqual({
        failed: [],
        error: 'the key store is unreachable',
      });
    });

    it('answers every failure of the last run, beyond those its report lists', async () => {
      const runs = await runStore();
      await runs.save({
        ...emptyRunReport(new Date().toISOString()),
        failed: problems(2 * REPORT_PROBLEMS_LISTED, 'first run'),
      });
      const second = problems(REPORT_PROBLEMS_LISTED + 50, 'second run');
      await runs.save({
        ...emptyRunReport(new Date().toISOString()),
        failed: second,
      });
      const byEntry = (a: { entry: string }, b: { entry: string }) =>
        a.entry.localeCompare(b.entry);
      expect((await runs.latestFailures()).sort(byEntry)).toEqual(
        [...second].sort(byEntry),
      );
    });

    it('answers nothing before the first run', async () => {
      const runs = await runStore();
      expect(await runs.latest()).toBeUndefined();
      expect(await runs.latestFailures()).toEqual([]);
      expect(await runs.latestFor('component:default/a')).toBeUndefined();
    });
  },
);
