import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';

/** A switch named by its visible label, so screen readers and tests find it by that text. */
export const LabelledSwitch = (props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) => (
  <FormControlLabel
    control={
      <Switch
        checked={props.checked}
        onChange={event => props.onChange(event.target.checked)}
        color="primary"
      />
    }
    label={props.label}
  />
);
