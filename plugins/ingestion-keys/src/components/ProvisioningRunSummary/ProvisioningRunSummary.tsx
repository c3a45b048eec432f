import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { InfoCard } from '@backstage/core-components';
import { ProvisioningRunReport } from '@ingestion-keys/plugin-ingestion-keys-common';
import { ReactNode } from 'react';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import { formatDuration } from './formatDuration';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
    gap: theme.spacing(2),
    margin: 0,
  },
  term: {
    ...theme.typography.caption,
    color: theme.palette.text.secondary,
  },
  value: {
    ...theme.typography.h6,
    margin: 0,
  },
}));

/** The facts of a run, as a description list: each term names its value for screen readers. */
const Facts = (props: { facts: Array<[string, ReactNode]> }) => {
  const classes = useStyles();
  return (
    <dl className={classes.facts} aria-label="Last run">
      {props.facts.map(([term, value]) => (
        <div key={term}>
          <dt className={classes.term}>{term}</dt>
          <dd className={classes.value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
};

/** What the last provisioning run did, or that there has been none yet. */
export const ProvisioningRunSummary = (props: {
  run?: ProvisioningRunReport;
}) => {
  const { run } = props;
  if (!run) {
    return (
      <InfoCard title="Last run">
        <Typography variant="body1" paragraph>
          No run yet
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Provisioning runs on a schedule and creates the keys that entities
          declare. Run it now to create them without waiting.
        </Typography>
      </InfoCard>
    );
  }
  const duration =
    new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime();
  const unrecorded = run.unrecordedKeys ?? [];
  const unrecordedCount =
    unrecorded.length + (run.unlisted?.unrecordedKeys ?? 0);
  return (
    <InfoCard title="Last run">
      <Facts
        facts={[
          ['Started', <RelativeTime value={run.startedAt} />],
          ['Finished', <RelativeTime value={run.finishedAt} />],
          ['Duration', formatDuration(duration)],
          ['Entities seen', run.entitiesSeen],
          ['Keys desired', run.keysDesired],
          ['Created', run.keysCreated],
          ['Adopted', run.keysAdopted],
          ['Revoked', run.keysRevoked],
          ['Failed', run.failed.length],
          ['Invalid entries', run.invalidEntries.length],
          ['Undesired', run.undesiredCount],
          ['Unrecorded', unrecordedCount],
        ]}
      />
      {unrecordedCount > 0 && (
        <Box mt={2}>
          <Typography variant="body2">
            The key store holds keys with this portal's tag that no record
            accounts for (after a database restore, for example):{' '}
            {unrecorded.map(k => k.keyName).join(', ')}
            {unrecordedCount > unrecorded.length &&
              ` and ${unrecordedCount - unrecorded.length} more`}
            . They still work; revoke them in the key store if nobody uses them.
          </Typography>
        </Box>
      )}
      {run.error && (
        <Box mt={2}>
          <Typography variant="body2" color="error" role="alert">
            The run stopped early: {run.error}
          </Typography>
        </Box>
      )}
      {!run.error &&
        run.failed.length === 0 &&
        run.invalidEntries.length === 0 && (
          <Box mt={2}>
            <Typography variant="body2" color="textSecondary">
              Every declared entry was valid and nothing failed.
            </Typography>
          </Box>
        )}
    </InfoCard>
  );
};
