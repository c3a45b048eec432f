import ReplayIcon from '@material-ui/icons/Replay';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ingestionKeyRevealPermission,
  KeyDeliveryTarget,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { ingestionKeysApiRef } from '../../api';
import { KeyActionButton } from '../KeyActionButton/KeyActionButton';

/**
 * Delivers a push target's key again, now. Delivering hands the key's value on, so it takes the
 * permission to reveal the key (asked here as a hint; the backend decides).
 */
export const RetryDeliveryButton = (props: {
  target: KeyDeliveryTarget;
  onDelivered: (target: KeyDeliveryTarget) => void;
  onError: (error: Error) => void;
}) => {
  const { target, onDelivered, onError } = props;
  const api = useApi(ingestionKeysApiRef);
  const permission = usePermission({
    permission: ingestionKeyRevealPermission,
    resourceRef: target.entityRef,
  });
  const [{ loading }, retry] = useAsyncFn(async () => {
    try {
      onDelivered(await api.deliverToTarget(target.id));
    } catch (e) {
      onError(e as Error);
    }
  }, [api, target.id, onDelivered, onError]);
  return (
    <KeyActionButton
      label={`Retry delivery to ${target.target}`}
      icon={<ReplayIcon />}
      disabled={!permission.allowed || loading}
      disabledReason={
        permission.loading || permission.allowed
          ? undefined
          : `You are not allowed to deliver keys of ${
              parseEntityRef(target.entityRef).name
            }`
      }
      onClick={retry}
    />
  );
};
