import Typography from '@material-ui/core/Typography';
import { errorMessage } from './errorMessage';

/**
 * An error shown inline, e.g. in a dialog, in the server's own words (see `errorMessage`).
 */
export const ErrorText = (props: { error: Error }) => (
  <Typography role="alert" color="error" variant="body2">
    {errorMessage(props.error)}
  </Typography>
);
