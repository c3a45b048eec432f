import Grid from '@material-ui/core/Grid';
import { Entity } from '@backstage/catalog-model';
import { Content, Header, Page } from '@backstage/core-components';
import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { createDevApp } from '@backstage/dev-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis } from '@backstage/test-utils';
import { ReactNode } from 'react';
import { PROVISION_ANNOTATION } from '@ingestion-keys/plugin-ingestion-keys-common';
import {
  EntityIngestionKeysCard,
  EntityIngestionKeysContent,
  ingestionKeysApiRef,
  IngestionKeysPage,
  ingestionKeysPlugin,
} from '../src';
import { InMemoryIngestionKeysApi } from '../src/__testUtils__/InMemoryIngestionKeysApi';

/** What checkout-api declares in the end: provisioned, failed, invalid and pending entries. */
const DECLARED =
  'production:sensor, production:rum, staging:thirdParty:firehose, qa:sensor, staging:rum';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: { [PROVISION_ANNOTATION]: DECLARED },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
};
const entityRef = 'component:default/checkout-api';

/** An entity that declares no keys, to show how to declare them. */
const undeclaredEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-worker', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

/**
 * Delivery targets with each outcome (one declared, one failing, one pulled), and a key due for
 * rotation.
 */
async function seedDelivery(
  api: InMemoryIngestionKeysApi,
  sensorId: string,
  otelId: string,
) {
  api.declareTarget(sensorId, 'kubernetes:prod-eu/groundcover');
  api.failDeliveriesTo(
    'kubernetes:prod-us/observability',
    'namespace observability not found in cluster prod-us',
  );
  await api.addDeliveryTarget(otelId, {
    target: 'kubernetes:prod-us/observability',
  });
  const pulled = await api.addDeliveryTarget(otelId, {
    target: 'external-secrets:prod-eu',
  });
  api.recordFetch(pulled.id);
  api.setRotationDue(otelId, new Date(Date.now() - 86_400_000).toISOString());
}

/** Keys in every state, so each part of the UI has something to show. */
async function seed(api: InMemoryIngestionKeysApi) {
  const sensor = await api.createKey({
    entityRef,
    environment: 'production',
    type: 'sensor',
    remoteConfig: true,
  });
  const successor = await api.rotateKey(sensor.key.id);
  const otel = await api.createKey({
    entityRef,
    environment: 'production',
    type: 'thirdParty',
    integration: 'otel-collector',
  });
  await seedDelivery(api, successor.key.id, otel.key.id);
  const rum = await api.createKey({
    entityRef,
    environment: 'staging',
    type: 'rum',
  });
  await api.revokeKey(rum.key.id);
  await api.createKey({
    entityRef: 'component:default/payments-worker',
    environment: 'staging',
    type: 'thirdParty',
    integration: 'fluent-bit',
  });
  await seedProvisioning(api);
}

/**
 * Two provisioning runs and a later change to the annotation: checkout-api ends up with
 * provisioned, failed, invalid and pending entries and a key it no longer declares;
 * legacy-billing left the catalog, so its key is undesired too.
 */
async function seedProvisioning(api: InMemoryIngestionKeysApi) {
  const firehoseFailure = {
    entityRef,
    entry: 'staging:thirdParty:firehose',
    reason: 'groundcover answered 503 Service Unavailable; retried next run',
  };
  api.declare(
    entityRef,
    'production:sensor, production:rum, staging:sensor, staging:thirdParty:firehose',
  );
  api.declare('component:default/inventory-service', 'production:sensor');
  api.declare('component:default/legacy-billing', 'production:sensor');
  await api.runProvisioning({ failures: [firehoseFailure] });

  api.declare(
    entityRef,
    'production:sensor, production:rum, staging:thirdParty:firehose, qa:sensor',
  );
  api.declare('component:default/legacy-billing', undefined);
  await api.runProvisioning({ failures: [firehoseFailure] });

  // Declared since the last run: pending until the next one.
  api.declare(entityRef, DECLARED);
}

const ingestionKeysApi = new InMemoryIngestionKeysApi();
seed(ingestionKeysApi);

/**
 * Links to users and entities need the catalog's entity route; there is no catalog here, so a
 * stub page takes its place.
 */
const CatalogEntityStub = createPlugin({ id: 'catalog' }).provide(
  createRoutableExtension({
    name: 'CatalogEntityStub',
    component: async () => () =>
      <Content>The catalog's entity page would be here.</Content>,
    mountPoint: entityRouteRef,
  }),
);

/** An entity's page, as the catalog would frame the plugin's extensions on it. */
const EntityPage = (props: { entity: Entity; children: ReactNode }) => (
  <Page themeId="service">
    <Header title={props.entity.metadata.name} type="component" />
    <Content>
      <EntityProvider entity={props.entity}>{props.children}</EntityProvider>
    </Content>
  </Page>
);

createDevApp()
  .registerPlugin(ingestionKeysPlugin)
  .registerApi({
    api: ingestionKeysApiRef,
    deps: {},
    factory: () => ingestionKeysApi,
  })
  .registerApi({
    api: permissionApiRef,
    deps: {},
    factory: () => mockApis.permission(),
  })
  .addPage({
    path: '/entity',
    title: 'Entity tab',
    element: (
      <EntityPage entity={entity}>
        <Grid container spacing={3}>
          <Grid item xs={12} md={6}>
            <EntityIngestionKeysCard />
          </Grid>
          <Grid item xs={12}>
            <EntityIngestionKeysContent />
          </Grid>
        </Grid>
      </EntityPage>
    ),
  })
  .addPage({
    path: '/entity-undeclared',
    title: 'Entity declaring no keys',
    element: (
      <EntityPage entity={undeclaredEntity}>
        <EntityIngestionKeysContent />
      </EntityPage>
    ),
  })
  .addPage({
    path: '/ingestion-keys',
    title: 'Org-wide page',
    element: <IngestionKeysPage />,
  })
  .addPage({
    path: '/catalog/:namespace/:kind/:name',
    element: <CatalogEntityStub />,
  })
  .render();
