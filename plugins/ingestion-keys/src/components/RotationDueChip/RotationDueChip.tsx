import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { formatRelativeTime } from '../RelativeTime/formatRelativeTime';

/**
 * Marks a key old enough for the rotation rules to ask for its rotation; the tooltip says since
 * when and what ends it. Focusable so that keyboard users get the tooltip too.
 */
export const RotationDueChip = (props: { since: string }) => {
  const since = new Date(props.since);
  const title = `Due for rotation ${formatRelativeTime(
    since,
  )} (${since.toLocaleString()}): rotate it, roll the successor out to its senders, then revoke this key.`;
  return (
    <Tooltip title={title}>
      <Chip
        size="small"
        variant="outlined"
        color="secondary"
        label="Rotation due"
        tabIndex={0}
      />
    </Tooltip>
  );
};
