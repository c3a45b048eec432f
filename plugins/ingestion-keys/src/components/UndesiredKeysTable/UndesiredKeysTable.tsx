import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  INGESTION_KEY_TYPE_LABELS,
  UndesiredKey,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useStableRows } from '../../hooks/useStableRows';
import { compactTableOptions } from '../compactTableOptions/compactTableOptions';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import {
  UNDESIRED_REASON_EXPLANATIONS,
  UNDESIRED_REASON_LABELS,
} from '../UndesiredKeyChip/undesiredReasons';

const PAGE_SIZE = 20;

const columns: TableColumn<UndesiredKey>[] = [
  { title: 'Name', field: 'keyName', highlight: true },
  {
    title: 'Entity',
    field: 'entityRef',
    render: key => <EntityRefLink entityRef={key.entityRef} />,
  },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Type',
    field: 'type',
    render: key => INGESTION_KEY_TYPE_LABELS[key.type],
  },
  {
    title: 'Reason',
    field: 'reason',
    render: key => (
      <Tooltip title={UNDESIRED_REASON_EXPLANATIONS[key.reason]}>
        <span>{UNDESIRED_REASON_LABELS[key.reason]}</span>
      </Tooltip>
    ),
  },
  {
    title: 'Since',
    field: 'since',
    render: key => <RelativeTime value={key.since} />,
  },
];

/** Oldest first: the longer a key has been undesired, the likelier it is unused. */
const LONGEST_UNDESIRED_FIRST = (a: UndesiredKey, b: UndesiredKey) =>
  a.since.localeCompare(b.since);

/** Provisioned keys across the catalog that no annotation asks for any more. */
export const UndesiredKeysTable = (props: { keys: UndesiredKey[] }) => {
  const rows = useStableRows(props.keys, LONGEST_UNDESIRED_FIRST);
  return (
    <section aria-label="Undesired keys">
      <Table<UndesiredKey>
        title="Undesired keys"
        subtitle="Not revoked automatically: their owners can revoke them once nothing uses them."
        data={rows}
        columns={columns}
        emptyContent={
          <Box p={3} textAlign="center">
            No undesired keys: every provisioned key is still declared.
          </Box>
        }
        options={{
          ...compactTableOptions(props.keys.length, PAGE_SIZE),
          thirdSortClick: false,
        }}
      />
    </section>
  );
};
