import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import RefreshIcon from '@material-ui/icons/Refresh';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  PROVISION_ANNOTATION,
  ProvisioningProblem,
  ProvisioningRunReport,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ingestionKeysApiRef } from '../../api';
import { useProvisioningStatus } from '../../hooks/useProvisioningStatus';
import { errorMessage } from '../ErrorText/errorMessage';
import { ProvisioningProblemsTable } from '../ProvisioningProblemsTable/ProvisioningProblemsTable';
import { ProvisioningRunSummary } from '../ProvisioningRunSummary/ProvisioningRunSummary';
import { UndesiredKeysTable } from '../UndesiredKeysTable/UndesiredKeysTable';

/** A triggered run happens in the background; its report is usually there after a few seconds. */
const REFRESH_DELAY_MS = 5000;

/** The problems of a run that get a table of their own, shown only when there are some. */
const PROBLEM_TABLES: Array<{
  title: string;
  subtitle: string;
  problemsOf: (run: ProvisioningRunReport) => ProvisioningProblem[];
}> = [
  {
    title: 'Failures',
    subtitle:
      'Declared keys the last run could not create; the next run tries again.',
    problemsOf: run => run.failed,
  },
  {
    title: 'Invalid entries',
    subtitle:
      'Annotation entries that were skipped; the other entries of those entities still apply.',
    problemsOf: run => run.invalidEntries,
  },
];

/**
 * The organisation's provisioning, for administrators: the last run with its failures and
 * invalid entries, the undesired keys, and a run on demand.
 */
export const ProvisioningOverview = (props: { refreshDelayMs?: number }) => {
  const refreshDelayMs = props.refreshDelayMs ?? REFRESH_DELAY_MS;
  const api = useApi(ingestionKeysApiRef);
  const alertApi = useApi(alertApiRef);
  const status = useProvisioningStatus();
  const { retry: refresh } = status;
  const [triggering, setTriggering] = useState(false);
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  const runNow = useCallback(async () => {
    setTriggering(true);
    try {
      await api.triggerProvisioningRun();
      alertApi.post({
        message:
          'Provisioning run started. The status refreshes in a few seconds.',
        severity: 'success',
        display: 'transient',
      });
      clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(refresh, refreshDelayMs);
    } catch (e) {
      alertApi.post({
        message: `Could not start a provisioning run: ${errorMessage(
          e as Error,
        )}`,
        severity: 'error',
      });
    } finally {
      setTriggering(false);
    }
  }, [api, alertApi, refresh, refreshDelayMs]);

  let content;
  if (status.error) {
    content = (
      <ResponseErrorPanel
        title="Could not load the provisioning status"
        error={status.error}
      />
    );
  } else if (!status.value) {
    content = <Progress />;
  } else {
    const { lastRun, undesired } = status.value;
    content = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <ProvisioningRunSummary run={lastRun} />
        </Grid>
        {PROBLEM_TABLES.map(({ title, subtitle, problemsOf }) => {
          const problems = lastRun ? problemsOf(lastRun) : [];
          return (
            problems.length > 0 && (
              <Grid item xs={12} key={title}>
                <ProvisioningProblemsTable
                  title={title}
                  subtitle={subtitle}
                  problems={problems}
                />
              </Grid>
            )
          );
        })}
        <Grid item xs={12}>
          <UndesiredKeysTable keys={undesired} />
        </Grid>
      </Grid>
    );
  }

  return (
    <section aria-label="Provisioning">
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        mb={2}
        style={{ gap: 16 }}
      >
        <Box>
          <Typography variant="h5" component="h2">
            Provisioning
          </Typography>
          <Typography variant="body2" color="textSecondary">
            A scheduled run creates the keys that entities declare with the{' '}
            <code>{PROVISION_ANNOTATION}</code> annotation.
          </Typography>
        </Box>
        <Box display="flex" style={{ gap: 8 }}>
          <Button
            variant="outlined"
            startIcon={<RefreshIcon />}
            onClick={refresh}
            disabled={status.loading}
          >
            Refresh
          </Button>
          <Button
            variant="contained"
            color="primary"
            startIcon={<PlayArrowIcon />}
            onClick={runNow}
            disabled={triggering}
          >
            Run provisioning now
          </Button>
        </Box>
      </Box>
      {content}
    </section>
  );
};
