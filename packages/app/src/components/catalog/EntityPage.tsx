import { Children } from 'react';
import { Grid } from '@material-ui/core';
import {
  EntityAboutCard,
  EntityHasSubcomponentsCard,
  EntityHasSystemsCard,
  EntityLayout,
  EntityLinksCard,
  EntitySwitch,
  EntityOrphanWarning,
  EntityProcessingErrorsPanel,
  EntityHasComponentsCard,
  EntityHasResourcesCard,
  hasCatalogProcessingErrors,
  isOrphan,
  isKind,
} from '@backstage/plugin-catalog';
import {
  EntityGroupProfileCard,
  EntityMembersListCard,
  EntityOwnershipCard,
  EntityUserProfileCard,
} from '@backstage/plugin-org';
import {
  EntityIngestionKeysCard,
  EntityIngestionKeysContent,
} from '@ingestion-keys/plugin-ingestion-keys';

const entityWarningContent = (
  <>
    <EntitySwitch>
      <EntitySwitch.Case if={isOrphan}>
        <Grid item xs={12}>
          <EntityOrphanWarning />
        </Grid>
      </EntitySwitch.Case>
    </EntitySwitch>
    <EntitySwitch>
      <EntitySwitch.Case if={hasCatalogProcessingErrors}>
        <Grid item xs={12}>
          <EntityProcessingErrorsPanel />
        </Grid>
      </EntitySwitch.Case>
    </EntitySwitch>
  </>
);

/** A card half the width on wide screens, the whole width on narrow ones. */
const half = (card: JSX.Element) => (
  <Grid item md={6} xs={12}>
    {card}
  </Grid>
);

/** The overview tab: the catalog's warnings, then the cards. */
const overview = (...cards: JSX.Element[]) => (
  <EntityLayout.Route path="/" title="Overview">
    <Grid container spacing={3} alignItems="stretch">
      {entityWarningContent}
      {Children.toArray(cards)}
    </Grid>
  </EntityLayout.Route>
);

const ingestionKeysRoute = (
  <EntityLayout.Route path="/ingestion-keys" title="Ingestion Keys">
    <EntityIngestionKeysContent />
  </EntityLayout.Route>
);

const componentPage = (
  <EntityLayout>
    {overview(
      half(<EntityAboutCard />),
      half(<EntityIngestionKeysCard />),
      half(<EntityLinksCard />),
      half(<EntityHasSubcomponentsCard />),
    )}
    {ingestionKeysRoute}
  </EntityLayout>
);

const resourcePage = (
  <EntityLayout>
    {overview(half(<EntityAboutCard />))}
    {ingestionKeysRoute}
  </EntityLayout>
);

const systemPage = (
  <EntityLayout>
    {overview(
      half(<EntityAboutCard />),
      half(<EntityHasComponentsCard />),
      half(<EntityHasResourcesCard />),
    )}
  </EntityLayout>
);

const userPage = (
  <EntityLayout>
    {overview(half(<EntityUserProfileCard />), half(<EntityOwnershipCard />))}
  </EntityLayout>
);

const groupPage = (
  <EntityLayout>
    {overview(
      half(<EntityGroupProfileCard />),
      half(<EntityOwnershipCard />),
      <Grid item xs={12}>
        <EntityMembersListCard />
      </Grid>,
    )}
  </EntityLayout>
);

const domainPage = (
  <EntityLayout>
    {overview(half(<EntityAboutCard />), half(<EntityHasSystemsCard />))}
  </EntityLayout>
);

const defaultPage = (
  <EntityLayout>
    {overview(
      half(<EntityAboutCard />),
      half(<EntityLinksCard />),
      half(<EntityHasSubcomponentsCard />),
    )}
  </EntityLayout>
);

export const entityPage = (
  <EntitySwitch>
    <EntitySwitch.Case if={isKind('component')} children={componentPage} />
    <EntitySwitch.Case if={isKind('resource')} children={resourcePage} />
    <EntitySwitch.Case if={isKind('system')} children={systemPage} />
    <EntitySwitch.Case if={isKind('user')} children={userPage} />
    <EntitySwitch.Case if={isKind('group')} children={groupPage} />
    <EntitySwitch.Case if={isKind('domain')} children={domainPage} />
    <EntitySwitch.Case>{defaultPage}</EntitySwitch.Case>
  </EntitySwitch>
);
