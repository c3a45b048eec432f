import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import {
  INGESTION_KEY_STATUSES,
  INGESTION_KEY_TYPE_LABELS,
  IngestionKeysSettings,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { LabelledSelect, SelectOption } from '../LabelledSelect/LabelledSelect';

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

/** One field of the filter bar: a select offering `options`, or free text. */
type FilterField = { id: string; label: string } & (
  | { options: (settings: IngestionKeysSettings) => SelectOption[] }
  | { placeholder: string }
);

// In the order the bar shows them, whichever a page offers.
const FILTER_FIELDS: Record<keyof KeyFilterValues, FilterField> = {
  environment: {
    id: 'key-filter-environment',
    label: 'Filter by environment',
    options: settings => [
      { value: '', label: 'All environments' },
      ...settings.environments.map(e => ({ value: e, label: e })),
    ],
  },
  type: {
    id: 'key-filter-type',
    label: 'Filter by type',
    options: settings => [
      { value: '', label: 'All types' },
      ...settings.types.map(t => ({
        value: t,
        label: INGESTION_KEY_TYPE_LABELS[t],
      })),
    ],
  },
  status: {
    id: 'key-filter-status',
    label: 'Filter by status',
    options: () => STATUS_OPTIONS,
  },
  createdBy: {
    id: 'key-filter-created-by',
    label: 'Created by',
    placeholder: 'alice or user:default/alice',
  },
  entity: {
    id: 'key-filter-entity',
    label: 'Entity',
    placeholder: 'checkout-api or resource:orders-db',
  },
  owner: {
    id: 'key-filter-owner',
    label: 'Owner',
    placeholder: 'team-checkout or group:default/team-checkout',
  },
};

const FilterInput = (props: {
  field: FilterField;
  settings: IngestionKeysSettings;
  value: string;
  onChange: (value: string) => void;
}) => {
  const { field, settings, value, onChange } = props;
  if ('options' in field) {
    return (
      <LabelledSelect
        id={field.id}
        label={field.label}
        value={value}
        onChange={onChange}
        options={field.options(settings)}
      />
    );
  }
  return (
    <TextField
      id={field.id}
      label={field.label}
      placeholder={field.placeholder}
      value={value}
      onChange={event => onChange(event.target.value)}
      variant="outlined"
      size="small"
      margin="dense"
      style={{ minWidth: 240 }}
      InputLabelProps={{ shrink: true }}
    />
  );
};

const useStyles = makeStyles(theme => ({
  // The bar sits on the page's background, on which the fields' grey labels fall short of the
  // 4.5:1 contrast WCAG AA asks for; on a card or dialog they do not.
  bar: { '& label:not(.Mui-focused)': { color: theme.palette.text.primary } },
}));

/** The filter bar above a keys table; `fields` picks which filters a page offers. */
export const KeyFilters = (props: {
  values: KeyFilterValues;
  onChange: (values: KeyFilterValues) => void;
  fields: Array<keyof KeyFilterValues>;
  settings: IngestionKeysSettings;
}) => {
  const { values, onChange, fields, settings } = props;
  const classes = useStyles();
  const shown = (
    Object.keys(FILTER_FIELDS) as Array<keyof KeyFilterValues>
  ).filter(field => fields.includes(field));

  return (
    <Box
      className={classes.bar}
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 16 }}
      role="search"
      aria-label="Key filters"
    >
      {shown.map(field => (
        <FilterInput
          key={field}
          field={FILTER_FIELDS[field]}
          settings={settings}
          value={values[field]}
          onChange={value => onChange({ ...values, [field]: value })}
        />
      ))}
    </Box>
  );
};
