import Button from '@material-ui/core/Button';
import Dialog, { DialogProps } from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { FormEvent, ReactNode } from 'react';
import { ErrorText } from '../ErrorText/ErrorText';

/** A key dialog's buttons: one that closes it, or Cancel and one that confirms its action. */
export type KeyDialogActions =
  | { closeLabel: string }
  | {
      confirmLabel: string;
      color: 'primary' | 'secondary';
      disabled: boolean;
      onConfirm: () => void;
      /** The dialog is a form, so Enter in one of its fields confirms too. */
      form?: boolean;
    };

/**
 * The shell every key dialog shares: a dialog named by its title, its content with the last
 * error under it, and its buttons.
 */
export const KeyDialog = (props: {
  titleId: string;
  title: ReactNode;
  onClose: () => void;
  actions: KeyDialogActions;
  children: ReactNode;
  error?: Error;
  maxWidth?: DialogProps['maxWidth'];
  fullWidth?: boolean;
}) => {
  const { titleId, onClose, actions } = props;
  const form = 'confirmLabel' in actions && actions.form ? actions : undefined;
  const body = (
    <>
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent>
        {props.children}
        {props.error && <ErrorText error={props.error} />}
      </DialogContent>
      <DialogActions>
        {'closeLabel' in actions ? (
          <Button onClick={onClose}>{actions.closeLabel}</Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button
              type={form ? 'submit' : undefined}
              color={actions.color}
              variant="contained"
              onClick={form ? undefined : actions.onConfirm}
              disabled={actions.disabled}
            >
              {actions.confirmLabel}
            </Button>
          </>
        )}
      </DialogActions>
    </>
  );
  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth={props.maxWidth}
      fullWidth={props.fullWidth}
    >
      {form ? (
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            if (!form.disabled) {
              form.onConfirm();
            }
          }}
        >
          {body}
        </form>
      ) : (
        body
      )}
    </Dialog>
  );
};
