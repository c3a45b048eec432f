import Box from '@material-ui/core/Box';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  INGESTION_KEY_STATUSES,
  IngestionKeyStatus,
  IngestionKeyType,
  KeySortField,
  KeyListQuery,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useCallback, useRef, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { ingestionKeysApiRef } from '../../api';
import { useIngestionKeysSettings } from '../../hooks/useIngestionKeysSettings';
import { KeyDialogRequest, KeyDialogs } from '../KeyDialogs/KeyDialogs';
import {
  ALL_STATUSES,
  EMPTY_KEY_FILTERS,
  KeyFilters,
  KeyFilterValues,
} from '../KeyFilters/KeyFilters';
import { KeysTable, RemoteKeys } from '../KeysTable/KeysTable';

/** Accepts a bare name ("alice") as well as a full entity ref. */
function normalizeRef(value: string, defaultKind: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(trimmed, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return trimmed;
  }
}

function toListQuery(filters: KeyFilterValues): KeyListQuery {
  const status = (INGESTION_KEY_STATUSES as readonly string[]).includes(
    filters.status,
  )
    ? (filters.status as IngestionKeyStatus)
    : undefined;
  return {
    environment: filters.environment || undefined,
    type: (filters.type || undefined) as IngestionKeyType | undefined,
    status,
    includeRevoked: filters.status === ALL_STATUSES || undefined,
    createdBy: normalizeRef(filters.createdBy, 'user'),
    entityRef: normalizeRef(filters.entity, 'component'),
    ownerRef: normalizeRef(filters.owner, 'group'),
  };
}

/** Typing in the text filters should not send a request per keystroke. */
const FILTER_DELAY_MS = 400;

/** Whose keys a remote keys table lists. */
export type KeysScope = 'teams' | 'organisation';

const TITLES: Record<KeysScope, string> = {
  teams: "My teams' keys",
  organisation: 'All ingestion keys',
};

/**
 * Keys filtered, sorted and paged by the server: those of the entities the user's teams own
 * (the backend knows the teams), or every key across the catalog (administrators), of which an
 * organisation can have thousands.
 */
export const OrgKeysTable = (props: { scope?: KeysScope }) => {
  const scope = props.scope ?? 'organisation';
  const api = useApi(ingestionKeysApiRef);
  const settings = useIngestionKeysSettings();
  const [filters, setFilters] = useState<KeyFilterValues>(EMPTY_KEY_FILTERS);
  const [appliedFilters, setAppliedFilters] = useState(filters);
  useDebounce(() => setAppliedFilters(filters), FILTER_DELAY_MS, [filters]);
  const [loadError, setLoadError] = useState<Error>();
  const [dialog, setDialog] = useState<KeyDialogRequest>();
  const tableRef = useRef<{ onQueryChange: () => void }>(null);

  const loadPage = useCallback<RemoteKeys>(
    async query => {
      try {
        const orderBy = query.orderBy?.field as KeySortField | undefined;
        const list =
          scope === 'teams'
            ? api.listMyTeamsKeys.bind(api)
            : api.listKeys.bind(api);
        const page = await list({
          ...toListQuery(appliedFilters),
          ...(orderBy ? { orderBy, order: query.orderDirection || 'asc' } : {}),
          limit: query.pageSize,
          offset: query.page * query.pageSize,
        });
        setLoadError(undefined);
        return {
          data: page.items,
          page: query.page,
          totalCount: page.totalCount,
        };
      } catch (e) {
        setLoadError(e as Error);
        return { data: [], page: 0, totalCount: 0 };
      }
    },
    [api, appliedFilters, scope],
  );
  const reload = useCallback(() => tableRef.current?.onQueryChange(), []);

  if (settings.error) {
    return <ResponseErrorPanel error={settings.error} />;
  }
  if (!settings.value) {
    return <Progress />;
  }
  return (
    <>
      <KeyFilters
        values={filters}
        onChange={setFilters}
        fields={[
          'type',
          'environment',
          'status',
          'createdBy',
          'entity',
          'owner',
        ]}
        settings={settings.value}
      />
      {loadError && (
        <Box mb={2}>
          <ResponseErrorPanel error={loadError} />
        </Box>
      )}
      <KeysTable
        // A new table per filter set: it starts again from the first page.
        key={JSON.stringify(appliedFilters)}
        title={TITLES[scope]}
        data={loadPage}
        showEntity
        onOpen={setDialog}
        tableRef={tableRef}
        emptyMessage={
          scope === 'teams' &&
          JSON.stringify(appliedFilters) === JSON.stringify(EMPTY_KEY_FILTERS)
            ? "Your teams' entities have no keys yet. Create one on the Ingestion Keys tab of a service."
            : 'No keys match the filters.'
        }
      />
      <KeyDialogs
        request={dialog}
        settings={settings.value}
        onRequestChange={setDialog}
        onChanged={reload}
      />
    </>
  );
};
