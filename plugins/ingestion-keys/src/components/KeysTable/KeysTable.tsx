import Box from '@material-ui/core/Box';
import { Table, TableColumn, TableProps } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  IngestionKey,
  INGESTION_KEY_TYPE_LABELS,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { RefObject, useMemo } from 'react';
import { ActorLink } from '../ActorLink/ActorLink';
import { compactTableOptions } from '../compactTableOptions/compactTableOptions';
import { KeyDialogRequest } from '../KeyDialogs/KeyDialogs';
import { KeyRowActions } from '../KeyRowActions/KeyRowActions';
import { KeyStatusChip } from '../KeyStatusChip/KeyStatusChip';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import { ReplacedOutsideChip } from '../ReplacedOutsideChip/ReplacedOutsideChip';
import { UndesiredKeyChip } from '../UndesiredKeyChip/UndesiredKeyChip';

/** Keys loaded by the table itself, page by page, sorted by the server. */
export type RemoteKeys = Extract<
  TableProps<IngestionKey>['data'],
  (...args: any[]) => unknown
>;

const PAGE_SIZE = 20;

/**
 * Eight or nine columns must fit beside the sidebar on a laptop screen, so cells get half the
 * usual horizontal padding.
 */
const COMPACT_CELL = { paddingLeft: 8, paddingRight: 8 };

function columns(options: {
  remote: boolean;
  showEntity: boolean;
  onOpen: (request: KeyDialogRequest) => void;
}): TableColumn<IngestionKey>[] {
  const { remote, showEntity, onOpen } = options;
  const columnList: TableColumn<IngestionKey>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      // Names are long (up to 63 characters) and wrap at their hyphens only.
      cellStyle: { minWidth: 180 },
    },
    {
      title: 'Type',
      field: 'type',
      render: key => INGESTION_KEY_TYPE_LABELS[key.type],
      customSort: (a, b) =>
        INGESTION_KEY_TYPE_LABELS[a.type].localeCompare(
          INGESTION_KEY_TYPE_LABELS[b.type],
        ),
    },
    { title: 'Environment', field: 'environment' },
    {
      title: 'Integration',
      field: 'integration',
      // The backend sorts by the fields of `KEY_SORT_FIELDS` only.
      sorting: !remote,
      render: key => key.integration ?? '—',
    },
    ...(showEntity
      ? [
          {
            title: 'Entity',
            field: 'entityRef',
            sorting: !remote,
            cellStyle: { minWidth: 110 },
            render: (key: IngestionKey) => (
              <EntityRefLink entityRef={key.entityRef} />
            ),
          },
        ]
      : []),
    {
      title: 'Status',
      field: 'status',
      render: key => (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          <KeyStatusChip status={key.status} />
          {key.undesiredSince && (
            <UndesiredKeyChip
              reason={key.undesiredReason}
              since={key.undesiredSince}
            />
          )}
          {key.replacedOutsideAt && (
            <ReplacedOutsideChip since={key.replacedOutsideAt} />
          )}
        </Box>
      ),
    },
    {
      title: 'Created by',
      field: 'createdBy',
      render: key => <ActorLink actor={key.createdBy} />,
    },
    {
      title: 'Created',
      field: 'createdAt',
      defaultSort: remote ? undefined : 'desc',
      render: key => <RelativeTime value={key.createdAt} />,
    },
    {
      title: 'Actions',
      sorting: false,
      align: 'right',
      cellStyle: { whiteSpace: 'nowrap' },
      render: key => <KeyRowActions ingestionKey={key} onOpen={onOpen} />,
    },
  ];
  // Fresh style objects per column: the Backstage table writes into them.
  return columnList.map(column => ({
    ...column,
    headerStyle: { ...COMPACT_CELL },
    cellStyle: { ...COMPACT_CELL, ...(column.cellStyle as object) },
  }));
}

/**
 * The keys table of the entity tab (all keys given, sorted here, by every column) and of the
 * org-wide page (a `RemoteKeys` function, paged and sorted by the server).
 */
export const KeysTable = (props: {
  title: string;
  data: IngestionKey[] | RemoteKeys;
  onOpen: (request: KeyDialogRequest) => void;
  /** Shown instead of rows when there are none, e.g. because of the filters. */
  emptyMessage: string;
  showEntity?: boolean;
  tableRef?: RefObject<unknown>;
}) => {
  const { data, title, onOpen, emptyMessage, tableRef } = props;
  const remote = typeof data === 'function';
  const showEntity = !!props.showEntity;
  // The same columns across renders, so the table does not rebuild them each time.
  const tableColumns = useMemo(
    () => columns({ remote, showEntity, onOpen }),
    [remote, showEntity, onOpen],
  );
  return (
    <section aria-label={title}>
      <Table<IngestionKey>
        title={title}
        data={data}
        columns={tableColumns}
        tableRef={tableRef}
        emptyContent={
          <Box p={3} textAlign="center">
            {emptyMessage}
          </Box>
        }
        localization={{ body: { emptyDataSourceMessage: emptyMessage } }}
        options={{
          ...compactTableOptions(data.length, PAGE_SIZE),
          // A remote table holds one page at a time; the server knows how many there are.
          ...(remote ? { paging: true } : {}),
          pageSizeOptions: [PAGE_SIZE, 50, 100],
          sorting: true,
          // Clicking a sorted column reverses it rather than dropping the sort.
          thirdSortClick: false,
        }}
      />
    </section>
  );
};
