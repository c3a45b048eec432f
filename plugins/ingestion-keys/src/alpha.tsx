import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { Content } from '@backstage/core-components';
import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ingestionKeysApiFactory } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** Keys belong to the entities that send data: services and the resources they run on. */
const entityFilter = { kind: { $in: ['component', 'resource'] } };

const ingestionKeysApi = ApiBlueprint.make({
  params: defineParams => defineParams(ingestionKeysApiFactory),
});

const ingestionKeysPage = PageBlueprint.make({
  params: {
    path: '/ingestion-keys',
    title: 'Ingestion Keys',
    icon: <VpnKeyIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/OrgIngestionKeys/OrgIngestionKeys').then(m => (
        <Content>
          <m.OrgIngestionKeys />
        </Content>
      )),
  },
});

const entityIngestionKeysContent = EntityContentBlueprint.make({
  params: {
    path: '/ingestion-keys',
    title: 'Ingestion Keys',
    filter: entityFilter,
    routeRef: convertLegacyRouteRef(entityContentRouteRef),
    loader: () =>
      import(
        './components/EntityIngestionKeysContent/EntityIngestionKeysContent'
      ).then(m => <m.EntityIngestionKeysContent />),
  },
});

const entityIngestionKeysCard = EntityCardBlueprint.make({
  params: {
    filter: entityFilter,
    loader: () =>
      import(
        './components/EntityIngestionKeysCard/EntityIngestionKeysCard'
      ).then(m => <m.EntityIngestionKeysCard />),
  },
});

/**
 * The ingestion-keys plugin for the new frontend system: the API, the org-wide page, the entity
 * tab and the overview card.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ingestion-keys',
  title: 'Ingestion Keys',
  icon: <VpnKeyIcon />,
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  }),
  extensions: [
    ingestionKeysApi,
    ingestionKeysPage,
    entityIngestionKeysContent,
    entityIngestionKeysCard,
  ],
});
