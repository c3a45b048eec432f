import request from 'supertest';
import {
  Entity,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';

const TIMEOUT_MS = 30_000;
const POLL_MS = 100;

/** The relations the authorization rests on, as the catalog derives them from the spec. */
function ownershipRelations(entity: Entity): string[] {
  const spec = entity.spec ?? {};
  const targets =
    entity.kind === 'Component'
      ? [`${RELATION_OWNED_BY} ${spec.owner}`]
      : ((spec.memberOf as string[] | undefined) ?? []).map(
          group => `${RELATION_MEMBER_OF} ${group}`,
        );
  return targets.map(t => t.toLocaleLowerCase('en-US')).sort();
}

function servedOwnershipRelations(entity: Entity): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY || r.type === RELATION_MEMBER_OF)
    .map(r => `${r.type} ${r.targetRef}`.toLocaleLowerCase('en-US'))
    .sort();
}

/**
 * Waits until the catalog serves every entity with the ownership and membership its spec
 * declares, i.e. until it has processed and stitched the latest version. The catalog has no
 * event for that, so this polls; it gives up after a bound and says what it still waits for.
 */
export async function waitForCatalogToServe(
  api: ReturnType<typeof request>,
  entities: Entity[],
): Promise<void> {
  const refs = entities.map(e => stringifyEntityRef(e));
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const res = await api
      .post('/api/catalog/entities/by-refs')
      .set('Authorization', mockCredentials.service.header())
      .send({ entityRefs: refs });
    const served: Array<Entity | null> = res.body.items ?? [];
    const pending = refs.filter((_, i) => {
      const entity = served[i];
      return (
        !entity ||
        servedOwnershipRelations(entity).join() !==
          ownershipRelations(entities[i]).join()
      );
    });
    if (pending.length === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog did not serve the current ownership of ${pending.join(
          ', ',
        )} within ${TIMEOUT_MS} ms`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
}
