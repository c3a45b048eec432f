import Box from '@material-ui/core/Box';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import DeleteIcon from '@material-ui/icons/Delete';
import { KeyDeliveryTarget } from '@ingestion-keys/plugin-ingestion-keys-common';
import { ActorLink } from '../ActorLink/ActorLink';
import { DeliveryOutcomeIcon } from '../DeliveryOutcomeIcon/DeliveryOutcomeIcon';
import {
  deliveryStateOf,
  describeLastDelivery,
} from '../DeliveryTargetsChip/deliverySummary';
import { KeyActionButton } from '../KeyActionButton/KeyActionButton';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import { RetryDeliveryButton } from '../RetryDeliveryButton/RetryDeliveryButton';

/**
 * One target of a key: its address, where it comes from, its last delivery, and, for those who
 * may hand the key on (`mayChange`), Retry for a push target and Remove for one added by hand
 * (the annotation's targets are removed from the annotation).
 */
export const DeliveryTargetItem = (props: {
  target: KeyDeliveryTarget;
  /** The key the list is shown for: a target may still hold an earlier generation. */
  keyId: string;
  mayChange: boolean;
  onDelivered: (target: KeyDeliveryTarget) => void;
  onRemove: (target: KeyDeliveryTarget) => void;
  onError: (error: Error) => void;
}) => {
  const { target, keyId, mayChange, onDelivered, onRemove, onError } = props;
  const holdsOtherKey =
    target.currentKeyId !== undefined && target.currentKeyId !== keyId;
  return (
    <ListItem divider>
      <ListItemText
        primary={<code>{target.target}</code>}
        secondaryTypographyProps={{ component: 'div' }}
        secondary={
          <>
            <div>
              {target.pull ? 'Pulls the key' : 'The key is written to it'}
              {' · '}
              {target.origin === 'annotation' ? (
                "declared in the entity's annotation"
              ) : (
                <>
                  added by <ActorLink actor={target.addedBy} />{' '}
                  <RelativeTime value={target.addedAt} />
                </>
              )}
            </div>
            <Box display="flex" alignItems="center" style={{ gap: 4 }}>
              <DeliveryOutcomeIcon state={deliveryStateOf(target)} />
              <span>{describeLastDelivery(target)}</span>
            </Box>
            {holdsOtherKey && target.currentGeneration !== undefined && (
              <div>Still holds generation {target.currentGeneration}</div>
            )}
          </>
        }
      />
      {mayChange && (
        <ListItemSecondaryAction>
          {!target.pull && (
            <RetryDeliveryButton
              target={target}
              onDelivered={onDelivered}
              onError={onError}
            />
          )}
          {target.origin === 'manual' && (
            <KeyActionButton
              label={`Remove ${target.target}`}
              icon={<DeleteIcon />}
              onClick={() => onRemove(target)}
            />
          )}
        </ListItemSecondaryAction>
      )}
    </ListItem>
  );
};
