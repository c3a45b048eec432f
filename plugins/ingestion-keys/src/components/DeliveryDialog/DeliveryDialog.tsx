import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { DeliveryTargetsPanel } from '../DeliveryTargetsPanel/DeliveryTargetsPanel';
import { KeyDialog } from '../KeyDialog/KeyDialog';
import { KeySummary } from '../KeySummary/KeySummary';

/** Where a key is delivered, opened from its row: without its value or history. */
export const DeliveryDialog = (props: {
  ingestionKey: IngestionKey;
  onClose: () => void;
  onChanged: () => void;
}) => {
  const { ingestionKey, onClose, onChanged } = props;
  return (
    <KeyDialog
      titleId={`key-delivery-title-${ingestionKey.id}`}
      title={`Delivery of ${ingestionKey.name}`}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      actions={{ closeLabel: 'Close' }}
    >
      <KeySummary ingestionKey={ingestionKey} />
      <DeliveryTargetsPanel ingestionKey={ingestionKey} onChanged={onChanged} />
    </KeyDialog>
  );
};
