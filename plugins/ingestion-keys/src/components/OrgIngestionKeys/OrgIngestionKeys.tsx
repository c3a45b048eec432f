import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { ingestionKeysAdminPermission } from '@ingestion-keys/plugin-ingestion-keys-common';
import { useSearchParams } from 'react-router-dom';
import { FailedDeliveriesTable } from '../FailedDeliveriesTable/FailedDeliveriesTable';
import { KeysScope, OrgKeysTable } from '../OrgKeysTable/OrgKeysTable';
import { ProvisioningOverview } from '../ProvisioningOverview/ProvisioningOverview';
import { TeamProvisioningProblems } from '../TeamProvisioningProblems/TeamProvisioningProblems';

/**
 * The Ingestion Keys page: everyone lands on the keys of their teams' entities and those
 * entities' provisioning problems; administrators can switch to every key of the organisation,
 * the deliveries that failed and its provisioning status.
 */
export const OrgIngestionKeys = () => {
  const { loading, allowed: isAdmin } = usePermission({
    permission: ingestionKeysAdminPermission,
  });
  // The view is in the URL (`?view=organisation`), so a link, a reload or Back keeps it.
  const [params, setParams] = useSearchParams();
  const scope: KeysScope =
    params.get('view') === 'organisation' ? 'organisation' : 'teams';
  if (loading) {
    return <Progress />;
  }
  const shown = isAdmin ? scope : 'teams';
  return (
    <Grid container spacing={4}>
      {isAdmin && (
        <Grid item xs={12}>
          <Tabs
            value={shown}
            onChange={(_event, value: KeysScope) =>
              setParams(value === 'organisation' ? { view: value } : {})
            }
            aria-label="Whose keys"
            indicatorColor="primary"
          >
            <Tab value="teams" label="My teams' keys" />
            <Tab value="organisation" label="Whole organisation" />
          </Tabs>
        </Grid>
      )}
      <Grid item xs={12}>
        <OrgKeysTable key={shown} scope={shown} />
      </Grid>
      {shown === 'organisation' && (
        <Grid item xs={12}>
          <FailedDeliveriesTable />
        </Grid>
      )}
      <Grid item xs={12}>
        {shown === 'organisation' ? (
          <ProvisioningOverview />
        ) : (
          <TeamProvisioningProblems />
        )}
      </Grid>
    </Grid>
  );
};
