import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import {
  INGESTION_KEY_STATUSES,
  INGESTION_KEY_TYPE_LABELS,
  IngestionKeysSettings,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { LabelledSelect } from '../LabelledSelect/LabelledSelect';

/** Filter values as typed; an empty string means "any". */
export interface KeyFilterValues {
  environment: string;
  type: string;
  /** A key status, `all` (revoked included) or empty for every key that is not revoked. */
  status: string;
  createdBy: string;
  /** The entity the keys belong to. */
  entity: string;
  /** The group or user owning the entities the keys belong to. */
  owner: string;
}

export const EMPTY_KEY_FILTERS: KeyFilterValues = {
  environment: '',
  type: '',
  status: '',
  createdBy: '',
  entity: '',
  owner: '',
};

export const ALL_STATUSES = 'all';

const STATUS_OPTIONS = [
  { value: '', label: 'Not revoked' },
  ...INGESTION_KEY_STATUSES.map(status => ({
    value: status,
    label: status.charAt(0).toUpperCase() + status.slice(1),
  })),
  { value: ALL_STATUSES, label: 'All, revoked included' },
];

const FilterTextField = (props: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) => (
  <TextField
    id={props.id}
    label={props.label}
    placeholder={props.placeholder}
    value={props.value}
    onChange={event => props.onChange(event.target.value)}
    variant="outlined"
    size="small"
    margin="dense"
    style={{ minWidth: 240 }}
    InputLabelProps={{ shrink: true }}
  />
);

/** The filter bar above a keys table; `fields` picks which filters a page offers. */
export const KeyFilters = (props: {
  values: KeyFilterValues;
  onChange: (values: KeyFilterValues) => void;
  fields: Array<keyof KeyFilterValues>;
  settings: IngestionKeysSettings;
}) => {
  const { values, onChange, fields, settings } = props;
  const set = (field: keyof KeyFilterValues) => (value: string) =>
    onChange({ ...values, [field]: value });

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 16 }}
      role="search"
      aria-label="Key filters"
    >
      {fields.includes('environment') && (
        <LabelledSelect
          id="key-filter-environment"
          label="Filter by environment"
          value={values.environment}
          onChange={set('environment')}
          options={[
            { value: '', label: 'All environments' },
            ...settings.environments.map(e => ({ value: e, label: e })),
          ]}
        />
      )}
      {fields.includes('type') && (
        <LabelledSelect
          id="key-filter-type"
          label="Filter by type"
          value={values.type}
          onChange={set('type')}
          options={[
            { value: '', label: 'All types' },
            ...settings.types.map(t => ({
              value: t,
              label: INGESTION_KEY_TYPE_LABELS[t],
            })),
          ]}
        />
      )}
      {fields.includes('status') && (
        <LabelledSelect
          id="key-filter-status"
          label="Filter by status"
          value={values.status}
          onChange={set('status')}
          options={STATUS_OPTIONS}
        />
      )}
      {fields.includes('createdBy') && (
        <FilterTextField
          id="key-filter-created-by"
          label="Created by"
          placeholder="alice or user:default/alice"
          value={values.createdBy}
          onChange={set('createdBy')}
        />
      )}
      {fields.includes('entity') && (
        <FilterTextField
          id="key-filter-entity"
          label="Entity"
          placeholder="checkout-api or resource:orders-db"
          value={values.entity}
          onChange={set('entity')}
        />
      )}
      {fields.includes('owner') && (
        <FilterTextField
          id="key-filter-owner"
          label="Owner"
          placeholder="team-checkout or group:default/team-checkout"
          value={values.owner}
          onChange={set('owner')}
        />
      )}
    </Box>
  );
};
