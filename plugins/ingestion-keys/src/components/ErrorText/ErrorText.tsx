import Typography from '@material-ui/core/Typography';
import { ResponseError } from '@backstage/errors';

/**
 * An error shown inline, e.g. in a dialog. For backend errors this is the server's own message
 * ("The key … already exists"), not the generic "Request failed with 409".
 */
export const ErrorText = (props: { error: Error }) => {
  const { error } = props;
  const message =
    error instanceof ResponseError ? error.cause.message : error.message;
  return (
    <Typography role="alert" color="error" variant="body2">
      {message}
    </Typography>
  );
};
