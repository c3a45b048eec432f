import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';

const LOCATION = 'test:ingestion-keys-authorization';

/**
 * Feeds the real catalog the test's entities the way an entity provider does, and lets a test
 * replace an entity while the backend runs (the catalog then processes and stitches it).
 */
export class TestEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(private readonly initialEntities: Entity[]) {}

  getProviderName(): string {
    return 'ingestion-keys-authorization-test';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await connection.applyMutation({
      type: 'full',
      entities: this.initialEntities.map(entity => this.deferred(entity)),
    });
  }

  /** Adds or replaces entities; the catalog shows them once it has processed them. */
  async put(entities: Entity[]): Promise<void> {
    if (!this.connection) {
      throw new Error('The catalog has not connected the test entity provider');
    }
    await this.connection.applyMutation({
      type: 'delta',
      added: entities.map(entity => this.deferred(entity)),
      removed: [],
    });
  }

  private deferred(entity: Entity) {
    return {
      locationKey: this.getProviderName(),
      entity: {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            [ANNOTATION_LOCATION]: LOCATION,
            [ANNOTATION_ORIGIN_LOCATION]: LOCATION,
          },
        },
      },
    };
  }
}
