import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  EntityFilterQuery,
  GetEntitiesByRefsRequest,
  GetEntitiesByRefsResponse,
  StreamEntitiesRequest,
} from '@backstage/catalog-client';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';

type Filter = Record<string, string | symbol | (string | symbol)[]>;

const lower = (value: unknown) => String(value).toLocaleLowerCase('en-US');

/** The values an entity has for a filter key, the way the catalog's search table has them. */
function valuesOf(entity: Entity, key: string): string[] | undefined {
  const k = key.toLocaleLowerCase('en-US');
  const pick = (record: Record<string, string> | undefined, name: string) => {
    const found = Object.entries(record ?? {}).find(
      ([candidate]) => candidate.toLocaleLowerCase('en-US') === name,
    );
    return found ? [lower(found[1])] : undefined;
  };
  if (k === 'kind') return [lower(entity.kind)];
  if (k === 'metadata.name') return [lower(entity.metadata.name)];
  if (k === 'metadata.namespace') {
    return [lower(entity.metadata.namespace ?? 'default')];
  }
  if (k.startsWith('metadata.annotations.')) {
    return pick(
      entity.metadata.annotations,
      k.slice('metadata.annotations.'.length),
    );
  }
  if (k.startsWith('metadata.labels.')) {
    return pick(entity.metadata.labels, k.slice('metadata.labels.'.length));
  }
  if (k.startsWith('relations.')) {
    const type = k.slice('relations.'.length);
    const targets = (entity.relations ?? [])
      .filter(r => lower(r.type) === type)
      .map(r => lower(r.targetRef));
    return targets.length ? targets : undefined;
  }
  let value: any = entity;
  for (const part of k.split('.')) {
    value =
      value?.[
        Object.keys(value ?? {}).find(
          candidate => candidate.toLocaleLowerCase('en-US') === part,
        ) ?? part
      ];
  }
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(lower);
}

function matches(entity: Entity, filter?: EntityFilterQuery): boolean {
  if (!filter) return true;
  return ([filter].flat() as Filter[]).some(single =>
    Object.entries(single).every(([key, expected]) => {
      const values = valuesOf(entity, key);
      if (!values) return false;
      if (expected === CATALOG_FILTER_EXISTS) return true;
      return [expected]
        .flat()
        .some(e => e === CATALOG_FILTER_EXISTS || values.includes(lower(e)));
    }),
  );
}

/** Copies the requested dotted fields of an entity, like the catalog's `fields` projection. */
function project(entity: Entity, fields?: string[]): Entity {
  if (!fields?.length) return entity;
  const out: any = {};
  for (const field of fields) {
    const parts = field.split('.');
    let source: any = entity;
    for (const part of parts) source = source?.[part];
    if (source === undefined) continue;
    let target = out;
    parts.slice(0, -1).forEach(part => {
      target[part] ??= {};
      target = target[part];
    });
    target[parts[parts.length - 1]] = source;
  }
  return out as Entity;
}

/**
 * A catalog test double for large generated catalogs. The stock `catalogServiceMock`
 * (`InMemoryCatalogClient`) rebuilds a map of every entity on each `getEntityByRef` and filters
 * the whole catalog again for every page it streams; at thousands of entities that would
 * measure the double instead of the plugin. This one keeps an index by entity ref and streams
 * in one pass; everything else is the stock double's.
 */
export class IndexedCatalog extends InMemoryCatalogClient {
  readonly #entities: Entity[];
  readonly #byRef = new Map<string, Entity>();

  constructor(entities: Entity[]) {
    super({ entities });
    this.#entities = entities;
    for (const entity of entities) {
      this.#byRef.set(
        stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
        entity,
      );
    }
  }

  async getEntityByRef(
    entityRef: string | CompoundEntityRef,
  ): Promise<Entity | undefined> {
    return this.#byRef.get(
      stringifyEntityRef(parseEntityRef(entityRef)).toLocaleLowerCase('en-US'),
    );
  }

  async getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
  ): Promise<GetEntitiesByRefsResponse> {
    if (request.query) {
      return super.getEntitiesByRefs(request);
    }
    return {
      items: request.entityRefs.map(ref => {
        const entity = this.#byRef.get(ref.toLocaleLowerCase('en-US'));
        return entity && matches(entity, request.filter)
          ? project(entity, request.fields)
          : undefined;
      }),
    };
  }

  async *streamEntities(
    request?: StreamEntitiesRequest,
  ): AsyncIterable<Entity[]> {
    if (request?.query || request?.orderFields || request?.fullTextFilter) {
      yield* super.streamEntities(request);
      return;
    }
    const pageSize = request?.pageSize ?? 500;
    let page: Entity[] = [];
    for (const entity of this.#entities) {
      if (matches(entity, request?.filter)) {
        page.push(project(entity, request?.fields));
        if (page.length === pageSize) {
          yield page;
          page = [];
        }
      }
    }
    if (page.length) yield page;
  }

  /** A catalog service factory serving these entities, for `backend.add`. */
  static factory(entities: Entity[]) {
    return createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => new IndexedCatalog(entities),
    });
  }
}
