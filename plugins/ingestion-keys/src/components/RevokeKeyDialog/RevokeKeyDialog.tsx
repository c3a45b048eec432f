import DialogContentText from '@material-ui/core/DialogContentText';
import TextField from '@material-ui/core/TextField';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { ingestionKeysApiRef } from '../../api';
import { KeyDialog } from '../KeyDialog/KeyDialog';

/**
 * Revocation deletes the key for good and cuts off every sender still using it, so the user has
 * to type the key's name: a click alone cannot revoke the wrong key.
 */
export const RevokeKeyDialog = (props: {
  ingestionKey: IngestionKey;
  onClose: () => void;
  onRevoked: () => void;
}) => {
  const { ingestionKey, onClose, onRevoked } = props;
  const api = useApi(ingestionKeysApiRef);
  const alertApi = useApi(alertApiRef);
  const [typedName, setTypedName] = useState('');
  const confirmed = typedName.trim() === ingestionKey.name;

  const [{ loading, error }, revoke] = useAsyncFn(async () => {
    await api.revokeKey(ingestionKey.id);
    alertApi.post({
      message: `Revoked ${ingestionKey.name}`,
      severity: 'success',
      display: 'transient',
    });
    onRevoked();
  }, [api, alertApi, ingestionKey, onRevoked]);

  return (
    <KeyDialog
      titleId={`revoke-key-title-${ingestionKey.id}`}
      title={`Revoke ${ingestionKey.name}?`}
      onClose={onClose}
      error={error}
      actions={{
        confirmLabel: 'Revoke key',
        color: 'secondary',
        disabled: !confirmed || loading,
        onConfirm: revoke,
        form: true,
      }}
    >
      <DialogContentText>
        Revoking <strong>{ingestionKey.name}</strong> permanently deletes it.
        This cannot be undone.
      </DialogContentText>
      <DialogContentText>
        Every sender still using this key will get{' '}
        <strong>403 PERMISSION_DENIED</strong> and stop sending data; sensors
        also stop pulling their remote configuration.
      </DialogContentText>
      <TextField
        id={`revoke-key-name-${ingestionKey.id}`}
        label="Key name"
        helperText={`Type ${ingestionKey.name} to confirm`}
        value={typedName}
        onChange={event => setTypedName(event.target.value)}
        fullWidth
        autoComplete="off"
        variant="outlined"
        margin="dense"
      />
    </KeyDialog>
  );
};
