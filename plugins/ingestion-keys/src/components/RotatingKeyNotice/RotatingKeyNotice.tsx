import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { useKeyActions } from '../../hooks/useKeyActions';
import { DisabledReason } from '../DisabledReason/DisabledReason';

/**
 * A rotated key still works until it is revoked, so that its successor can be rolled out first.
 * This reminds the user to finish the rotation, with the revoke one click away.
 */
export const RotatingKeyNotice = (props: {
  ingestionKey: IngestionKey;
  successorName?: string;
  onRevoke: (key: IngestionKey) => void;
}) => {
  const { ingestionKey, successorName, onRevoke } = props;
  const { revoke } = useKeyActions(ingestionKey);
  return (
    <Paper variant="outlined" role="status">
      <Box p={2} display="flex" alignItems="center" style={{ gap: 16 }}>
        <Box flexGrow={1}>
          <Typography variant="body1">
            <strong>{ingestionKey.name}</strong> is rotating – revoke when the
            rollout is done.
          </Typography>
          {successorName && (
            <Typography variant="body2" color="textSecondary">
              Its successor is {successorName}. Both keys work until you revoke
              the old one.
            </Typography>
          )}
        </Box>
        <DisabledReason reason={revoke.reason}>
          <Button
            variant="outlined"
            color="secondary"
            disabled={!revoke.enabled}
            onClick={() => onRevoke(ingestionKey)}
          >
            Revoke old key
          </Button>
        </DisabledReason>
      </Box>
    </Paper>
  );
};
