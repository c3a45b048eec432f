import { Entity } from '@backstage/catalog-model';
import { PROVISION_ANNOTATION } from '@ingestion-keys/plugin-ingestion-keys-common';

/** Which generated catalog a backend process serves; both processes derive it from this. */
export interface CatalogSpec {
  /** Number of entities. */
  entities: number;
  /** Keys declared in total, spread as evenly as possible over the entities. */
  keys: number;
}

/** Entries an entity declares, first ones first: an entity declaring n keys takes the first n. */
export function provisionEntries(count: number): string[] {
  const base = [
    'production:sensor',
    'production:thirdParty:otel-collector',
    'staging:rum',
    'production:rum',
    'staging:sensor',
    'staging:thirdParty:otel-collector',
  ];
  const entries = base.slice(0, count);
  for (let i = base.length; i < count; i++) {
    entries.push(`production:thirdParty:pusher-${i}`);
  }
  return entries;
}

/** How many keys entity `index` declares so that `spec.keys` are spread over the entities. */
export function keysOfEntity(spec: CatalogSpec, index: number): number {
  return (
    Math.floor(((index + 1) * spec.keys) / spec.entities) -
    Math.floor((index * spec.keys) / spec.entities)
  );
}

export function entityName(index: number): string {
  return `svc-${String(index).padStart(5, '0')}`;
}

export function entityRefOf(index: number): string {
  return `component:default/${entityName(index)}`;
}

const TEAMS = 40;

/**
 * A catalog entity shaped like a real service's: owner and system relations, a description,
 * links and a few annotations besides the provisioning one.
 */
export function generateEntity(spec: CatalogSpec, index: number): Entity {
  const name = entityName(index);
  const owner = `group:default/team-${index % TEAMS}`;
  const system = `system:default/system-${index % (TEAMS * 2)}`;
  const entries = provisionEntries(keysOfEntity(spec, index));
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      uid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      description: `Generated service ${name}, one of ${spec.entities} in the benchmark catalog`,
      tags: ['bench', `tier-${index % 3}`],
      annotations: {
        'backstage.io/managed-by-location': `url:https://git.example.com/org/${name}/blob/main/catalog-info.yaml`,
        'backstage.io/source-location': `url:https://git.example.com/org/${name}/tree/main/`,
        'github.com/project-slug': `org/${name}`,
        ...(entries.length
          ? { [PROVISION_ANNOTATION]: entries.join(', ') }
          : {}),
      },
      links: [
        { url: `https://runbooks.example.com/${name}`, title: 'Runbook' },
      ],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner,
      system,
    },
    relations: [
      { type: 'ownedBy', targetRef: owner },
      { type: 'partOf', targetRef: system },
    ],
  };
}

export function generateEntities(spec: CatalogSpec): Entity[] {
  return Array.from({ length: spec.entities }, (_, i) =>
    generateEntity(spec, i),
  );
}
