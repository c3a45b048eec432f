import Button from '@material-ui/core/Button';

/**
 * A key dialog's Cancel and confirm buttons. Without `onConfirm` the confirm button submits the
 * dialog's form.
 */
export const ConfirmActions = (props: {
  label: string;
  onCancel: () => void;
  onConfirm?: () => void;
  disabled: boolean;
  color: 'primary' | 'secondary';
}) => (
  <>
    <Button onClick={props.onCancel}>Cancel</Button>
    <Button
      type={props.onConfirm ? undefined : 'submit'}
      color={props.color}
      variant="contained"
      onClick={props.onConfirm}
      disabled={props.disabled}
    >
      {props.label}
    </Button>
  </>
);
