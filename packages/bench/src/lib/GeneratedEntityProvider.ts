import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { CatalogSpec, generateEntities } from './entities';

/**
 * Hands the generated entities to the real catalog the way an organisation's own ingestion does
 * (a custom entity provider, as for an HR or CMDB import): one full mutation of all of them,
 * which the catalog then processes and stitches like any other entity. The entities are generated
 * only for the mutation, so the backend's memory holds no copy of them beside the catalog's own.
 */
export class GeneratedEntityProvider implements EntityProvider {
  constructor(private readonly spec: CatalogSpec) {}

  getProviderName(): string {
    return 'ingestion-keys-bench';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    await connection.applyMutation({
      type: 'full',
      entities: generateEntities(this.spec).map(
        ({ relations: _, ...entity }) => {
          // The catalog computes uid and relations itself (ownedBy and partOf from the spec), and
          // every entity it processes must name the location it came from.
          const { uid: __, ...metadata } = entity.metadata;
          const location = metadata.annotations?.[
            ANNOTATION_LOCATION
          ] as string;
          return {
            locationKey: this.getProviderName(),
            entity: {
              ...entity,
              metadata: {
                ...metadata,
                annotations: {
                  ...metadata.annotations,
                  [ANNOTATION_ORIGIN_LOCATION]: location,
                },
              },
            },
          };
        },
      ),
    });
  }
}
