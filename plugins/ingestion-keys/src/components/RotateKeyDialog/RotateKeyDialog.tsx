import Box from '@material-ui/core/Box';
import DialogContentText from '@material-ui/core/DialogContentText';
import { useApi } from '@backstage/core-plugin-api';
import {
  IngestionKey,
  IngestionKeysSettings,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { ingestionKeysApiRef } from '../../api';
import { KeyDialog } from '../KeyDialog/KeyDialog';
import { KeySecretPanel } from '../KeySecretPanel/KeySecretPanel';
import { KeySummary } from '../KeySummary/KeySummary';
import { RotatingKeyNotice } from '../RotatingKeyNotice/RotatingKeyNotice';

/**
 * Confirms a rotation, then shows the successor with its value and snippets, and the old key as
 * rotating with its revoke one click away.
 */
export const RotateKeyDialog = (props: {
  ingestionKey: IngestionKey;
  settings: IngestionKeysSettings;
  onClose: () => void;
  onRotated: () => void;
  onRevokeOld: (key: IngestionKey) => void;
}) => {
  const { ingestionKey, settings, onClose, onRotated, onRevokeOld } = props;
  const api = useApi(ingestionKeysApiRef);
  const [{ value: rotation, loading, error }, rotate] = useAsyncFn(async () => {
    const result = await api.rotateKey(ingestionKey.id);
    onRotated();
    return result;
  }, [api, ingestionKey.id, onRotated]);

  return (
    <KeyDialog
      titleId={`rotate-key-title-${ingestionKey.id}`}
      title={rotation ? 'Key rotated' : `Rotate ${ingestionKey.name}?`}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      error={error}
      actions={
        rotation
          ? { closeLabel: 'Done' }
          : {
              confirmLabel: 'Rotate key',
              color: 'primary',
              disabled: loading,
              onConfirm: rotate,
            }
      }
    >
      {rotation ? (
        <>
          <DialogContentText>
            The new key is <strong>{rotation.key.name}</strong>. Roll it out to
            every sender that uses the old key.
          </DialogContentText>
          <KeySummary ingestionKey={rotation.key} />
          <KeySecretPanel
            ingestionKey={rotation.key}
            settings={settings}
            initialSecret={rotation.secret}
          />
          <Box mt={3}>
            <RotatingKeyNotice
              ingestionKey={{
                ...ingestionKey,
                status: 'rotating',
                replacedById: rotation.key.id,
              }}
              successorName={rotation.key.name}
              onRevoke={onRevokeOld}
            />
          </Box>
        </>
      ) : (
        <DialogContentText>
          Rotation creates a new key for the same entity, environment, type and
          integration. The old key keeps working, marked as rotating, until you
          revoke it, so you can roll the new key out first.
        </DialogContentText>
      )}
    </KeyDialog>
  );
};
