import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { IngestionKeyStatus } from '@ingestion-keys/plugin-ingestion-keys-common';

const LABELS: Record<IngestionKeyStatus, string> = {
  pending: 'Pending',
  active: 'Active',
  rotating: 'Rotating',
  revoked: 'Revoked',
};

const EXPLANATIONS: Record<IngestionKeyStatus, string> = {
  pending: 'The key is being created in the key store',
  active: 'Senders can use this key',
  rotating: 'Rotating – revoke when the rollout is done',
  revoked: 'Deleted: senders using it get 403 PERMISSION_DENIED',
};

export const KeyStatusChip = (props: { status: IngestionKeyStatus }) => (
  <Tooltip title={EXPLANATIONS[props.status]}>
    <Chip
      size="small"
      label={LABELS[props.status]}
      color={props.status === 'active' ? 'primary' : 'default'}
      variant={props.status === 'revoked' ? 'outlined' : 'default'}
    />
  </Tooltip>
);
