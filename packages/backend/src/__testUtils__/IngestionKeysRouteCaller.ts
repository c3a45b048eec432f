import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';

/** A route of the ingestion-keys API as the tests name it, e.g. `POST /v1/keys/:id/rotate`. */
export type RouteName = `${'GET' | 'POST' | 'DELETE'} /${string}`;

const BASE = '/api/ingestion-keys';

/**
 * Calls the ingestion-keys API by route name on one entity: `:id` becomes a key of the entity
 * made for this call alone, `:targetId` a delivery target of such a key, `?entityRef` names the
 * entity, `POST /v1/keys` creates a key nobody asked for before and `POST /v1/keys/:id/targets`
 * adds a target nobody added before. Keeps every secret the API handed out, so answers can be checked
 * for them.
 */
export class IngestionKeysRouteCaller {
  readonly secrets: string[] = [];
  private created = 0;

  constructor(private readonly api: ReturnType<typeof request>) {}

  /** A key of the entity, made by a backend service (which may do anything). */
  async createKey(entityRef: string): Promise<string> {
    const res = await this.api
      .post(`${BASE}/v1/keys`)
      .set('Authorization', mockCredentials.service.header())
      .send(this.newKeyBody(entityRef));
    if (res.status !== 201) {
      throw new Error(
        `Creating a key of ${entityRef} answered ${
          res.status
        }: ${JSON.stringify(res.body)}`,
      );
    }
    this.secrets.push(res.body.secret);
    return res.body.key.id;
  }

  /** A delivery target of the key, added by the same service. */
  async addTarget(keyId: string): Promise<string> {
    const res = await this.api
      .post(`${BASE}/v1/keys/${keyId}/targets`)
      .set('Authorization', mockCredentials.service.header())
      .send(this.newTargetBody());
    if (res.status !== 201) {
      throw new Error(
        `Adding a target to key ${keyId} answered ${
          res.status
        }: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body.id;
  }

  /** Sends the route for the entity as the caller with that Authorization header, or none. */
  async call(route: RouteName, entityRef: string, authorization?: string) {
    const keyId = /:id|:targetId/.test(route)
      ? await this.createKey(entityRef)
      : undefined;
    const targetId =
      keyId && route.includes(':targetId')
        ? await this.addTarget(keyId)
        : undefined;
    return this.send(route, { entityRef, keyId, targetId }, authorization);
  }

  /** Sends the route for an entity or key as they are, e.g. ones that do not exist. */
  async send(
    route: RouteName,
    target: { entityRef: string; keyId?: string; targetId?: string },
    authorization?: string,
  ) {
    const [method, template] = route.split(' ');
    const path = template
      .replace(':targetId', target.targetId ?? ':targetId')
      .replace(':id', target.keyId ?? ':id')
      .replace(
        '?entityRef',
        `?entityRef=${encodeURIComponent(target.entityRef)}`,
      );
    let req = this.api[method.toLowerCase() as 'get' | 'post' | 'delete'](
      `${BASE}${path}`,
    );
    if (authorization) {
      req = req.set('Authorization', authorization);
    }
    if (route === 'POST /v1/keys') {
      req = req.send(this.newKeyBody(target.entityRef));
    } else if (route.endsWith('/targets')) {
      req = req.send(this.newTargetBody());
    }
    const res = await req;
    if (typeof res.body?.secret === 'string') {
      this.secrets.push(res.body.secret);
    }
    return res;
  }

  private newTargetBody() {
    this.created += 1;
    return { target: `memory:cell-${this.created}` };
  }

  private newKeyBody(entityRef: string) {
    this.created += 1;
    return {
      entityRef,
      environment: 'staging',
      type: 'thirdParty',
      integration: `cell-${this.created}`,
    };
  }
}
