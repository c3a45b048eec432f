import TextField from '@material-ui/core/TextField';

export interface SelectOption {
  value: string;
  label: string;
}

/**
 * A native select with a visible label: screen readers and end-to-end tests find it by its label
 * and pick options by their text.
 */
export const LabelledSelect = (props: {
  id: string;
  label: string;
  value: string;
  options: SelectOption[];
  onChange: (value: string) => void;
  helperText?: string;
  fullWidth?: boolean;
}) => (
  <TextField
    select
    id={props.id}
    label={props.label}
    value={props.value}
    onChange={event => props.onChange(event.target.value)}
    helperText={props.helperText}
    fullWidth={props.fullWidth}
    variant="outlined"
    size="small"
    margin="dense"
    SelectProps={{ native: true }}
    InputLabelProps={{ shrink: true }}
  >
    {props.options.map(option => (
      <option key={option.value} value={option.value}>
        {option.label}
      </option>
    ))}
  </TextField>
);
