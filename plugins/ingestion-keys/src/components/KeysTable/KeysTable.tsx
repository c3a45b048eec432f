import Box from '@material-ui/core/Box';
import { Table, TableColumn, TableProps } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  IngestionKey,
  INGESTION_KEY_TYPE_LABELS,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { RefObject, useMemo, useRef } from 'react';
import { useStableRows } from '../../hooks/useStableRows';
import { compactTableOptions } from '../compactTableOptions/compactTableOptions';
import {
  DeliveryTargetsContext,
  DeliveryTargetsState,
  KeyDeliveryCell,
} from '../KeyDeliveryCell/KeyDeliveryCell';
import { KeyCreator } from '../KeyCreator/KeyCreator';
import { KeyDialogRequest } from '../KeyDialogs/KeyDialogs';
import { KeyName } from '../KeyName/KeyName';
import { KeyRowActions } from '../KeyRowActions/KeyRowActions';
import { KeyStatusChip } from '../KeyStatusChip/KeyStatusChip';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import { ReplacedOutsideChip } from '../ReplacedOutsideChip/ReplacedOutsideChip';
import { isRotationDue } from '../RotationDueChip/isRotationDue';
import { RotationDueChip } from '../RotationDueChip/RotationDueChip';
import { UndesiredKeyChip } from '../UndesiredKeyChip/UndesiredKeyChip';

/** Keys loaded by the table itself, page by page, sorted by the server. */
export type RemoteKeys = Extract<
  TableProps<IngestionKey>['data'],
  (...args: any[]) => unknown
>;

const PAGE_SIZE = 20;

const NO_ROWS: IngestionKey[] = [];

/** The entity tab's keys start newest first (the server sorts the remote tables). */
const NEWEST_FIRST = (a: IngestionKey, b: IngestionKey) =>
  b.createdAt.localeCompare(a.createdAt);

/**
 * Eight to ten columns must fit beside the sidebar on a 1280-pixel laptop screen, so cells get
 * half the usual horizontal padding.
 */
const COMPACT_CELL = { paddingLeft: 8, paddingRight: 8 };

/**
 * Column widths. The table lays its columns out by these (`tableLayout: 'fixed'`), so
 * they do not jump as pages and filters change, and the name column takes what is left: its
 * long names are cut with an ellipsis instead of pushing the actions out of view.
 */
const WIDTHS = {
  type: '90px',
  environment: '115px',
  integration: '110px',
  entity: '130px',
  status: '90px',
  // A chip: the number of targets, or of failed ones.
  deliveries: '100px',
  createdBy: '130px',
  createdAt: '90px',
  // Reveal, Rotate and the ⋮ menu, each an icon button.
  actions: '130px',
};

function columns(options: {
  remote: boolean;
  showEntity: boolean;
  showDeliveries: boolean;
  onOpen: (request: KeyDialogRequest) => void;
}): TableColumn<IngestionKey>[] {
  const { remote, showEntity, showDeliveries, onOpen } = options;
  const columnList: TableColumn<IngestionKey>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      // The one column that cannot be hidden: it says which key a row is.
      removable: false,
      render: key => <KeyName name={key.name} />,
    },
    {
      title: 'Type',
      field: 'type',
      width: WIDTHS.type,
      render: key => INGESTION_KEY_TYPE_LABELS[key.type],
      customSort: (a, b) =>
        INGESTION_KEY_TYPE_LABELS[a.type].localeCompare(
          INGESTION_KEY_TYPE_LABELS[b.type],
        ),
    },
    { title: 'Environment', field: 'environment', width: WIDTHS.environment },
    {
      title: 'Integration',
      field: 'integration',
      width: WIDTHS.integration,
      // The name ends with it; across many entities the column is the first to go.
      hidden: showEntity,
      // The backend sorts by the fields of `KEY_SORT_FIELDS` only.
      sorting: !remote,
      render: key => key.integration ?? '—',
    },
    ...(showEntity
      ? [
          {
            title: 'Entity',
            field: 'entityRef',
            width: WIDTHS.entity,
            sorting: !remote,
            render: (key: IngestionKey) => (
              <EntityRefLink entityRef={key.entityRef} />
            ),
          },
        ]
      : []),
    {
      title: 'Status',
      field: 'status',
      width: WIDTHS.status,
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
          {key.rotationDueAt && isRotationDue(key) && (
            <RotationDueChip since={key.rotationDueAt} />
          )}
        </Box>
      ),
    },
    ...(showDeliveries
      ? [
          {
            title: 'Delivered to',
            width: WIDTHS.deliveries,
            sorting: false,
            render: (key: IngestionKey) => (
              <KeyDeliveryCell ingestionKey={key} onOpen={onOpen} />
            ),
          },
        ]
      : []),
    {
      title: 'Created by',
      field: 'createdBy',
      width: WIDTHS.createdBy,
      render: key => <KeyCreator ingestionKey={key} />,
    },
    {
      title: 'Created',
      field: 'createdAt',
      width: WIDTHS.createdAt,
      render: key => <RelativeTime value={key.createdAt} />,
    },
    {
      title: 'Actions',
      sorting: false,
      removable: false,
      align: 'right',
      width: WIDTHS.actions,
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
  /** An entity's delivery targets: given, the table has a "Delivered to" column. */
  deliveryTargets?: DeliveryTargetsState;
  tableRef?: RefObject<unknown>;
}) => {
  const { title, onOpen, emptyMessage, tableRef } = props;
  const remote = typeof props.data === 'function';
  const rows = useStableRows(
    remote ? NO_ROWS : (props.data as IngestionKey[]),
    NEWEST_FIRST,
  );
  const data = remote ? props.data : rows;
  const showEntity = !!props.showEntity;
  const showDeliveries = props.deliveryTargets !== undefined;
  // The same columns across renders, so the table does not rebuild them each time.
  // The columns' render functions must not change between renders: the table rebuilds its state
  // (sort, page) when they do. So they call the latest `onOpen` through a ref instead of
  // closing over it, and a parent need not keep `onOpen` stable.
  const latestOnOpen = useRef(onOpen);
  latestOnOpen.current = onOpen;
  const tableColumns = useMemo(
    () =>
      columns({
        remote,
        showEntity,
        showDeliveries,
        onOpen: request => latestOnOpen.current(request),
      }),
    [remote, showEntity, showDeliveries],
  );
  return (
    <section aria-label={title}>
      <DeliveryTargetsContext.Provider value={props.deliveryTargets ?? {}}>
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
            // Lets readers hide the columns they do not need on a narrow screen.
            columnsButton: true,
            tableLayout: 'fixed',
          }}
        />
      </DeliveryTargetsContext.Provider>
    </section>
  );
};
