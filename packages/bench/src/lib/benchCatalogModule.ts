import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { CatalogSpec } from './entities';
import { GeneratedEntityProvider } from './GeneratedEntityProvider';

/** A catalog module feeding the generated entities to the real catalog plugin. */
export function benchCatalogModule(spec: CatalogSpec) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'ingestion-keys-bench',
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider(new GeneratedEntityProvider(spec));
        },
      });
    },
  });
}
