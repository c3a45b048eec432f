import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { KeyDeliveryTarget } from '@ingestion-keys/plugin-ingestion-keys-common';
import { DeliveryOutcomeIcon } from '../DeliveryOutcomeIcon/DeliveryOutcomeIcon';
import {
  deliveryStateOf,
  describeLastDelivery,
  worstDeliveryState,
} from './deliverySummary';

/**
 * A key's delivery targets in a table cell: how many, with the icon of the state that most needs
 * attention, and failures in words and colour. Each target's address and last delivery show on
 * hover and focus; a click opens the key's delivery dialog.
 */
export const DeliveryTargetsChip = (props: {
  targets: KeyDeliveryTarget[];
  onOpen: () => void;
}) => {
  const { targets, onOpen } = props;
  const state = worstDeliveryState(targets);
  if (!state) {
    return (
      <Typography variant="body2" color="textSecondary">
        None
      </Typography>
    );
  }
  const failed = targets.filter(t => deliveryStateOf(t) === 'failed').length;
  const label = failed ? `${failed} failed` : String(targets.length);
  const count = `${targets.length} ${
    targets.length === 1 ? 'target' : 'targets'
  }`;
  return (
    <Tooltip
      title={
        <>
          {targets.map(target => (
            <div key={target.id}>
              <strong>{target.target}</strong>
              <br />
              {describeLastDelivery(target)}
            </div>
          ))}
        </>
      }
    >
      <Chip
        size="small"
        icon={<DeliveryOutcomeIcon state={state} fontSize="inherit" />}
        label={label}
        color={failed ? 'secondary' : 'default'}
        variant={failed ? 'default' : 'outlined'}
        // The visible label leads the name (WCAG's label in name), the count completes it.
        aria-label={`${label} of ${count}: open delivery`}
        onClick={onOpen}
      />
    </Tooltip>
  );
};
