import Dialog, { DialogProps } from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { FormEvent, ReactNode } from 'react';
import { ErrorText } from '../ErrorText/ErrorText';

/**
 * The shell every key dialog shares: a dialog named by its title, its content with the last
 * error under it, and its buttons. With `onSubmit` the dialog is a form, so Enter submits it.
 */
export const KeyDialog = (props: {
  titleId: string;
  title: ReactNode;
  onClose: () => void;
  /** The buttons. */
  actions: ReactNode;
  children: ReactNode;
  error?: Error;
  onSubmit?: () => void;
  maxWidth?: DialogProps['maxWidth'];
  fullWidth?: boolean;
}) => {
  const { titleId, onSubmit } = props;
  const body = (
    <>
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent>
        {props.children}
        {props.error && <ErrorText error={props.error} />}
      </DialogContent>
      <DialogActions>{props.actions}</DialogActions>
    </>
  );
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby={titleId}
      maxWidth={props.maxWidth}
      fullWidth={props.fullWidth}
    >
      {onSubmit ? (
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            onSubmit();
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
