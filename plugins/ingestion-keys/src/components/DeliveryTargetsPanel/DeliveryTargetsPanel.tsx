import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  IngestionKey,
  KeyDeliveryTarget,
  parseTargetRef,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ingestionKeysApiRef } from '../../api';
import { useEntityDeliveryTargets } from '../../hooks/useEntityDeliveryTargets';
import { useKeyActions } from '../../hooks/useKeyActions';
import { AddDeliveryTargetForm } from '../AddDeliveryTargetForm/AddDeliveryTargetForm';
import {
  describeLastDelivery,
  targetsOfKey,
} from '../DeliveryTargetsChip/deliverySummary';
import { DeliveryTargetItem } from '../DeliveryTargetItem/DeliveryTargetItem';
import { ErrorText } from '../ErrorText/ErrorText';
import { ExternalSecretSnippets } from '../ExternalSecretSnippets/ExternalSecretSnippets';

/**
 * Where a key is delivered: its identity's targets with their last delivery, adding one, and
 * the manifests a pull target needs. Adding, retrying and removing hand the key on, so they are
 * offered only to those who may reveal it.
 */
export const DeliveryTargetsPanel = (props: {
  ingestionKey: IngestionKey;
  /** Called after a change the key list shows (its targets and their outcomes). */
  onChanged?: () => void;
}) => {
  const { ingestionKey: key, onChanged } = props;
  const api = useApi(ingestionKeysApiRef);
  const targets = useEntityDeliveryTargets(key.entityRef);
  const kinds = useAsync(
    async () => (await api.listDeliveryTargetKinds()).items,
    [api],
  );
  const reveal = useKeyActions(key).reveal;
  // What the last add or retry did, or why a retry or removal failed.
  const [outcome, setOutcome] = useState<string>();
  const [actionError, setActionError] = useState<Error>();

  const { retry: reload } = targets;
  const changed = useCallback(
    (message?: string) => {
      setActionError(undefined);
      setOutcome(message);
      reload();
      onChanged?.();
    },
    [reload, onChanged],
  );
  const onDelivered = useCallback(
    (target: KeyDeliveryTarget) =>
      changed(`${target.target}: ${describeLastDelivery(target)}`),
    [changed],
  );
  const onError = useCallback((error: Error) => {
    setOutcome(undefined);
    setActionError(error);
  }, []);
  const add = useCallback(
    async (target: string) => {
      const added = await api.addDeliveryTarget(key.id, { target });
      changed(`Added ${added.target}. ${describeLastDelivery(added)}`);
    },
    [api, key.id, changed],
  );
  const remove = async (target: KeyDeliveryTarget) => {
    try {
      await api.removeDeliveryTarget(target.id);
      changed(`Removed ${target.target}`);
    } catch (e) {
      onError(e as Error);
    }
  };

  const error = targets.error ?? kinds.error;
  if (error) {
    return <ResponseErrorPanel title="Delivery targets" error={error} />;
  }
  if (!targets.value || !kinds.value) {
    return <Progress />;
  }
  const keyTargets = targetsOfKey(targets.value, key);
  const pullStores = keyTargets.flatMap(target =>
    target.pull ? [parseTargetRef(target.target)?.address ?? ''] : [],
  );
  const mayChange = reveal.enabled;

  return (
    <section aria-label="Delivery">
      <Typography variant="h6" component="h3">
        Delivery
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Places this key's senders read it from. They belong to the key's
        environment, type and integration, so a rotation's new key goes to them
        too.
      </Typography>
      {keyTargets.length === 0 ? (
        <Typography variant="body2">Not delivered anywhere yet.</Typography>
      ) : (
        <List dense aria-label="Delivery targets">
          {keyTargets.map(target => (
            <DeliveryTargetItem
              key={target.id}
              target={target}
              keyId={key.id}
              mayChange={mayChange}
              onDelivered={onDelivered}
              onRemove={remove}
              onError={onError}
            />
          ))}
        </List>
      )}
      {outcome && (
        <Typography role="status" variant="body2">
          {outcome}
        </Typography>
      )}
      {actionError && <ErrorText error={actionError} />}
      <Box mt={2}>
        {kinds.value.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            This portal has no delivery targets configured.
          </Typography>
        )}
        {kinds.value.length > 0 &&
          (mayChange ? (
            <AddDeliveryTargetForm
              idPrefix={`delivery-target-${key.id}`}
              kinds={kinds.value}
              onAdd={add}
            />
          ) : (
            reveal.reason && (
              <Typography variant="body2" color="textSecondary">
                {reveal.reason}, so you cannot change where it is delivered.
              </Typography>
            )
          ))}
      </Box>
      {pullStores.map(store => (
        <Box key={store} mt={2}>
          <ExternalSecretSnippets store={store} keyName={key.name} />
        </Box>
      ))}
    </section>
  );
};
