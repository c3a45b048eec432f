import Box from '@material-ui/core/Box';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  IngestionKeyAction,
  IngestionKeyEvent,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { ActorLink } from '../ActorLink/ActorLink';
import { useStableRows } from '../../hooks/useStableRows';
import { compactTableOptions } from '../compactTableOptions/compactTableOptions';
import { RelativeTime } from '../RelativeTime/RelativeTime';

const ACTION_LABELS: Record<IngestionKeyAction, string> = {
  created: 'Created',
  revealed: 'Revealed',
  rotated: 'Rotated',
  revoked: 'Revoked',
  adopted: 'Adopted',
  delivered: 'Delivered',
  fetched: 'Fetched by External Secrets',
};

const columns: TableColumn<IngestionKeyEvent>[] = [
  {
    title: 'When',
    field: 'at',
    render: event => <RelativeTime value={event.at} />,
  },
  {
    title: 'Who',
    field: 'actor',
    render: event => <ActorLink actor={event.actor} />,
  },
  {
    title: 'Action',
    field: 'action',
    render: event => ACTION_LABELS[event.action],
  },
  { title: 'Key', field: 'keyName' },
];

const PAGE_SIZE = 10;

const NO_EVENTS: IngestionKeyEvent[] = [];

/** The latest first, until the reader sorts otherwise. */
const LATEST_FIRST = (a: IngestionKeyEvent, b: IngestionKeyEvent) =>
  b.at.localeCompare(a.at);

/** The audit trail: who created, revealed, rotated or revoked which key, and when. */
export const HistoryTable = (props: {
  title: string;
  events: { loading: boolean; error?: Error; value?: IngestionKeyEvent[] };
}) => {
  const { title, events } = props;
  const rows = useStableRows(events.value ?? NO_EVENTS, LATEST_FIRST);
  if (events.error) {
    return <ResponseErrorPanel title={title} error={events.error} />;
  }
  if (!events.value) {
    return <Progress />;
  }
  return (
    <section aria-label={title}>
      <Table<IngestionKeyEvent>
        title={title}
        columns={columns}
        data={rows}
        isLoading={events.loading}
        options={compactTableOptions(events.value.length, PAGE_SIZE)}
        emptyContent={
          <Box p={2} textAlign="center">
            Nothing has happened yet.
          </Box>
        }
      />
    </section>
  );
};
