import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { ingestionKeysApiRef } from '../../api';
import { ProvisioningProblemsTable } from '../ProvisioningProblemsTable/ProvisioningProblemsTable';
import { UndesiredKeysTable } from '../UndesiredKeysTable/UndesiredKeysTable';

/**
 * What needs the attention of the user's teams in provisioning: declared keys the last run could
 * not create, annotation entries it skipped, and provisioned keys no longer declared. Each kind
 * gets a table only when there is something in it.
 */
export const TeamProvisioningProblems = () => {
  const api = useApi(ingestionKeysApiRef);
  const problems = useAsync(() => api.getMyTeamsProvisioningProblems(), [api]);
  const title = "Provisioning problems of your teams' entities";
  if (problems.error) {
    return <ResponseErrorPanel title={title} error={problems.error} />;
  }
  if (!problems.value) {
    return <Progress />;
  }
  const { failed, invalidEntries, undesired } = problems.value;
  return (
    <section aria-label="Provisioning problems">
      {failed.length + invalidEntries.length + undesired.length === 0 ? (
        <InfoCard title={title}>
          <Typography variant="body2">
            None: every key your teams' entities declare is provisioned.
          </Typography>
        </InfoCard>
      ) : (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <Box mb={-1}>
              <Typography variant="h5" component="h2">
                {title}
              </Typography>
            </Box>
          </Grid>
          {[
            {
              title: 'Failures',
              subtitle:
                'Declared keys the last run could not create; the next run tries again.',
              problems: failed,
            },
            {
              title: 'Invalid entries',
              subtitle:
                "Annotation entries that were skipped; fix them in the entity's catalog file.",
              problems: invalidEntries,
            },
          ]
            .filter(table => table.problems.length > 0)
            .map(table => (
              <Grid item xs={12} key={table.title}>
                <ProvisioningProblemsTable {...table} />
              </Grid>
            ))}
          {undesired.length > 0 && (
            <Grid item xs={12}>
              <UndesiredKeysTable keys={undesired} />
            </Grid>
          )}
        </Grid>
      )}
    </section>
  );
};
