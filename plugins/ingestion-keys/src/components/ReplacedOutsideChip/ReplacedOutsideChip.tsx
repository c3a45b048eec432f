import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { formatRelativeTime } from '../RelativeTime/formatRelativeTime';

/**
 * Marks a key whose name the key store now gives to another key, made outside the portal; the
 * tooltip says what that means. Focusable so that keyboard users get the tooltip too.
 */
export const ReplacedOutsideChip = (props: { since: string }) => {
  const since = new Date(props.since);
  const title = `Found replaced outside the portal ${formatRelativeTime(
    since,
  )} (${since.toLocaleString()}): the key store's key of this name is not the one recorded here, so it is neither revealed nor revoked from here.`;
  return (
    <Tooltip title={title}>
      <Chip
        size="small"
        variant="outlined"
        color="secondary"
        label="Replaced outside"
        tabIndex={0}
      />
    </Tooltip>
  );
};
