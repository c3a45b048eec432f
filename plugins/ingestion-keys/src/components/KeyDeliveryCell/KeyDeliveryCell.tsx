import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  IngestionKey,
  KeyDeliveryTarget,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { createContext, useContext } from 'react';
import { DeliveryTargetsChip } from '../DeliveryTargetsChip/DeliveryTargetsChip';
import { targetsOfKey } from '../DeliveryTargetsChip/deliverySummary';
import { errorMessage } from '../ErrorText/errorMessage';
import { KeyDialogRequest } from '../KeyDialogs/KeyDialogs';

/** An entity's delivery targets as loaded: undefined targets while loading. */
export interface DeliveryTargetsState {
  targets?: KeyDeliveryTarget[];
  error?: Error;
}

/**
 * The targets reach the cells through a context rather than the columns: the table keeps its
 * column definitions (and with them its sort and page) only while they stay the same objects, and
 * its rows are not re-rendered for data that is not theirs.
 */
export const DeliveryTargetsContext = createContext<DeliveryTargetsState>({});

/** The "Delivered to" cell of a key's row. */
export const KeyDeliveryCell = (props: {
  ingestionKey: IngestionKey;
  onOpen: (request: KeyDialogRequest) => void;
}) => {
  const { ingestionKey: key, onOpen } = props;
  const { targets, error } = useContext(DeliveryTargetsContext);
  if (error) {
    return (
      <Tooltip title={`Delivery targets not loaded: ${errorMessage(error)}`}>
        <Typography variant="body2" color="textSecondary" tabIndex={0}>
          Unknown
        </Typography>
      </Tooltip>
    );
  }
  if (!targets) {
    return null;
  }
  return (
    <DeliveryTargetsChip
      targets={targetsOfKey(targets, key)}
      onOpen={() => onOpen({ kind: 'delivery', key })}
    />
  );
};
