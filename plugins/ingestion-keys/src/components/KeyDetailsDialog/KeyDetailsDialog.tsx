import Box from '@material-ui/core/Box';
import {
  IngestionKey,
  IngestionKeysSettings,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useKeyEvents } from '../../hooks/useKeyEvents';
import { DeliveryTargetsPanel } from '../DeliveryTargetsPanel/DeliveryTargetsPanel';
import { HistoryTable } from '../HistoryTable/HistoryTable';
import { KeyDialog } from '../KeyDialog/KeyDialog';
import { KeySecretPanel } from '../KeySecretPanel/KeySecretPanel';
import { KeySummary } from '../KeySummary/KeySummary';

/**
 * One key: its value (masked unless `reveal` asks for it at once), its usage snippets, where it
 * is delivered and its history. Closing the dialog unmounts it, which drops the revealed value.
 */
export const KeyDetailsDialog = (props: {
  ingestionKey: IngestionKey;
  settings: IngestionKeysSettings;
  reveal: boolean;
  onClose: () => void;
  onRevealed: () => void;
  onDeliveryChanged: () => void;
}) => {
  const { ingestionKey, settings, onClose, onRevealed, onDeliveryChanged } =
    props;
  const history = useKeyEvents(ingestionKey.id);
  return (
    <KeyDialog
      titleId={`key-details-title-${ingestionKey.id}`}
      title={ingestionKey.name}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      actions={{ closeLabel: 'Close' }}
    >
      <KeySummary ingestionKey={ingestionKey} />
      <KeySecretPanel
        ingestionKey={ingestionKey}
        settings={settings}
        revealOnMount={props.reveal}
        onRevealed={() => {
          history.retry();
          onRevealed();
        }}
      />
      <Box mt={3}>
        <DeliveryTargetsPanel
          ingestionKey={ingestionKey}
          onChanged={() => {
            history.retry();
            onDeliveryChanged();
          }}
        />
      </Box>
      <Box mt={3}>
        <HistoryTable title="History of this key" events={history} />
      </Box>
    </KeyDialog>
  );
};
