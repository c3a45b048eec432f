import Grid from '@material-ui/core/Grid';
import { Progress, WarningPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { ingestionKeysAdminPermission } from '@ingestion-keys/plugin-ingestion-keys-common';
import { OrgKeysTable } from '../OrgKeysTable/OrgKeysTable';
import { ProvisioningOverview } from '../ProvisioningOverview/ProvisioningOverview';

/**
 * The org-wide key list and the provisioning status, for administrators; everyone else is told
 * where their keys are.
 */
export const OrgIngestionKeys = () => {
  const { loading, allowed } = usePermission({
    permission: ingestionKeysAdminPermission,
  });
  if (loading) {
    return <Progress />;
  }
  if (!allowed) {
    return (
      <WarningPanel
        title="You are not allowed to see every ingestion key"
        message="Only ingestion-keys administrators can list the keys of the whole catalog. The keys of a service are on the Ingestion Keys tab of its catalog page."
        defaultExpanded
      />
    );
  }
  return (
    <Grid container spacing={4}>
      <Grid item xs={12}>
        <OrgKeysTable />
      </Grid>
      <Grid item xs={12}>
        <ProvisioningOverview />
      </Grid>
    </Grid>
  );
};
