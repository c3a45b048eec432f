import {
  IngestionKey,
  IngestionKeysSettings,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { DeliveryDialog } from '../DeliveryDialog/DeliveryDialog';
import { KeyDetailsDialog } from '../KeyDetailsDialog/KeyDetailsDialog';
import { RevokeKeyDialog } from '../RevokeKeyDialog/RevokeKeyDialog';
import { RotateKeyDialog } from '../RotateKeyDialog/RotateKeyDialog';

/** The dialog a key action opens. */
export type KeyDialogRequest =
  | { kind: 'details'; key: IngestionKey; reveal: boolean }
  | { kind: 'delivery'; key: IngestionKey }
  | { kind: 'rotate'; key: IngestionKey }
  | { kind: 'revoke'; key: IngestionKey };

/**
 * Renders the requested key dialog. It lives beside the table, not in its rows, because the
 * table re-renders its rows whenever the list reloads and a rotation result (with its secret)
 * must survive that.
 */
export const KeyDialogs = (props: {
  request?: KeyDialogRequest;
  settings: IngestionKeysSettings;
  /** Opens another dialog in place of this one, or with `undefined` closes it. */
  onRequestChange: (request?: KeyDialogRequest) => void;
  /** Called whenever something changed that the key list or the audit trail shows. */
  onChanged: () => void;
}) => {
  const { request, settings, onRequestChange, onChanged } = props;
  const onClose = () => onRequestChange(undefined);
  switch (request?.kind) {
    case 'details':
      return (
        <KeyDetailsDialog
          ingestionKey={request.key}
          settings={settings}
          reveal={request.reveal}
          onClose={onClose}
          onRevealed={onChanged}
          onDeliveryChanged={onChanged}
        />
      );
    case 'delivery':
      return (
        <DeliveryDialog
          ingestionKey={request.key}
          onClose={onClose}
          onChanged={onChanged}
        />
      );
    case 'rotate':
      return (
        <RotateKeyDialog
          ingestionKey={request.key}
          settings={settings}
          onClose={onClose}
          onRotated={onChanged}
          onRevokeOld={key => onRequestChange({ kind: 'revoke', key })}
        />
      );
    case 'revoke':
      return (
        <RevokeKeyDialog
          ingestionKey={request.key}
          onClose={onClose}
          onRevoked={() => {
            onClose();
            onChanged();
          }}
        />
      );
    default:
      return null;
  }
};
