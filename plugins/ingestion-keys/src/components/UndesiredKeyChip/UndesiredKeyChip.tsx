import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { UndesiredReason } from '@ingestion-keys/plugin-ingestion-keys-common';
import { formatRelativeTime } from '../RelativeTime/formatRelativeTime';
import {
  UNDESIRED_REASON_EXPLANATIONS,
  UNDESIRED_REASON_LABELS,
} from './undesiredReasons';

/**
 * Marks a provisioned key that no annotation asks for any more; the tooltip says why and since
 * when. The chip is focusable so that keyboard users get the tooltip too.
 */
export const UndesiredKeyChip = (props: {
  reason?: UndesiredReason;
  since: string;
}) => {
  const reason = props.reason ?? 'entry-removed';
  const since = new Date(props.since);
  const title = `${UNDESIRED_REASON_LABELS[reason]} ${formatRelativeTime(
    since,
  )} (${since.toLocaleString()}): ${UNDESIRED_REASON_EXPLANATIONS[
    reason
  ].toLocaleLowerCase(
    'en-US',
  )}. Not revoked automatically: revoke it once nothing uses it.`;
  return (
    <Tooltip title={title}>
      <Chip size="small" variant="outlined" label="Undesired" tabIndex={0} />
    </Tooltip>
  );
};
