import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import {
  EntityProvisioningStatus,
  PROVISION_ANNOTATION,
  ProvisioningEntryStatus,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { DeclareKeysHelp } from '../DeclareKeysHelp/DeclareKeysHelp';
import { errorMessage } from '../ErrorText/errorMessage';
import {
  DeclaredEntryState,
  ProvisioningStateChip,
} from '../ProvisioningStateChip/ProvisioningStateChip';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import {
  NOT_REVOKED_HINT,
  UNDESIRED_REASON_EXPLANATIONS,
  UNDESIRED_REASON_LABELS,
} from '../UndesiredKeyChip/undesiredReasons';

interface EntryRow {
  entry: string;
  state: DeclaredEntryState;
  details: string;
}

function describeEntry(entry: ProvisioningEntryStatus): string {
  switch (entry.state) {
    case 'provisioned':
      return entry.keyName ?? '';
    case 'failed':
      return entry.reason ?? 'The last provisioning run could not create it';
    default:
      return entry.keyId
        ? `Being created as ${entry.keyName}`
        : 'Not created yet: the next provisioning run creates it';
  }
}

function rowsOf(status: EntityProvisioningStatus): EntryRow[] {
  return [
    ...status.entries.map(entry => ({
      entry: entry.entry,
      state: entry.state,
      details: describeEntry(entry),
    })),
    ...status.invalidEntries.map(problem => ({
      entry: problem.entry,
      state: 'invalid' as const,
      details: problem.reason,
    })),
  ];
}

const DeclaredEntries = (props: { status: EntityProvisioningStatus }) => {
  const rows = rowsOf(props.status);
  return (
    <>
      <Table size="small" aria-label="Declared entries">
        <TableHead>
          <TableRow>
            <TableCell>Entry</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Key or reason</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow key={`${row.state}:${row.entry}`}>
              <TableCell>
                <code>{row.entry}</code>
              </TableCell>
              <TableCell>
                <ProvisioningStateChip state={row.state} />
              </TableCell>
              <TableCell>{row.details}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {props.status.invalidEntries.length > 0 && (
        <Box mt={1}>
          <Typography variant="body2" color="textSecondary">
            Invalid entries are skipped and the valid ones still apply. Fix them
            in the entity's catalog file.
          </Typography>
        </Box>
      )}
    </>
  );
};

const UndesiredKeys = (props: { status: EntityProvisioningStatus }) => (
  <Box mt={3}>
    <Typography variant="subtitle1" component="h3">
      No longer declared
    </Typography>
    <Typography variant="body2" color="textSecondary" paragraph>
      {NOT_REVOKED_HINT} Revoke them from the ⋮ menu of the keys table.
    </Typography>
    <Table size="small" aria-label="Undesired keys">
      <TableHead>
        <TableRow>
          <TableCell>Key</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Since</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.status.undesired.map(key => (
          <TableRow key={key.keyId}>
            <TableCell>{key.keyName}</TableCell>
            <TableCell title={UNDESIRED_REASON_EXPLANATIONS[key.reason]}>
              {UNDESIRED_REASON_LABELS[key.reason]}
            </TableCell>
            <TableCell>
              <RelativeTime value={key.since} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </Box>
);

/**
 * The keys the entity declares in its catalog file and where each stands (provisioned, pending,
 * failed, invalid), the provisioned keys it no longer declares, and how to declare keys when it
 * declares none.
 */
export const DeclaredKeysPanel = (props: {
  status: {
    error?: Error;
    value?: EntityProvisioningStatus;
    retry: () => void;
  };
  environments: string[];
}) => {
  const { status, environments } = props;
  let content;
  if (status.error) {
    content = (
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <Typography role="alert" color="error" variant="body2">
          Could not load the declared keys: {errorMessage(status.error)}
        </Typography>
        <Button variant="outlined" size="small" onClick={status.retry}>
          Retry
        </Button>
      </Box>
    );
  } else if (!status.value) {
    content = <Progress />;
  } else {
    const value = status.value;
    const declares =
      value.entries.length > 0 || value.invalidEntries.length > 0;
    content = (
      <>
        {declares ? (
          <DeclaredEntries status={value} />
        ) : (
          <DeclareKeysHelp environments={environments} />
        )}
        {value.undesired.length > 0 && <UndesiredKeys status={value} />}
      </>
    );
  }
  return (
    <section aria-label="Declared keys">
      <InfoCard
        title="Declared keys"
        subheader={
          // One span: the header lays its subheader out as a flex box, which drops the spaces.
          <span>
            Keys the entity's catalog file asks for with the{' '}
            <code>{PROVISION_ANNOTATION}</code> annotation; provisioning creates
            them.
          </span>
        }
      >
        {content}
      </InfoCard>
    </section>
  );
};
