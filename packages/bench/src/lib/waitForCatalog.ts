import { setTimeout as sleep } from 'node:timers/promises';
import { JsonClient } from './http';

/**
 * Waits until the real catalog serves `expected` components, i.e. has processed and stitched
 * every generated entity (its query counts only stitched entities, through the search table the
 * plugin's filters use too), polling twice a second for at most `timeoutMs`.
 */
export async function waitForCatalog(
  api: JsonClient,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let stitched = 0;
  for (;;) {
    const answer = await api.call<{ totalItems?: number }>(
      'GET',
      '/api/catalog/entities/by-query?limit=1&filter=kind=component',
    );
    stitched = answer.status === 200 ? answer.body?.totalItems ?? 0 : 0;
    if (stitched >= expected) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the catalog stitched ${stitched} of ${expected} entities in ${
          timeoutMs / 1000
        } s`,
      );
    }
    await sleep(500);
  }
}
