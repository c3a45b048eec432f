import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  INGESTION_KEY_TYPE_LABELS,
  KeyDeliveryTarget,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useCallback, useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useLatest from 'react-use/esm/useLatest';
import { ingestionKeysApiRef } from '../../api';
import { compactTableOptions } from '../compactTableOptions/compactTableOptions';
import { describeLastDelivery } from '../DeliveryTargetsChip/deliverySummary';
import { errorMessage } from '../ErrorText/errorMessage';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import { RetryDeliveryButton } from '../RetryDeliveryButton/RetryDeliveryButton';

const PAGE_SIZE = 10;

const TITLE = 'Failed deliveries';

/** "production · Sensor · otel-collector": which of the entity's keys a target belongs to. */
function identityLabel(target: KeyDeliveryTarget): string {
  return [
    target.environment,
    INGESTION_KEY_TYPE_LABELS[target.type],
    ...(target.integration ? [target.integration] : []),
  ].join(' · ');
}

function columns(
  onRetried: (target: KeyDeliveryTarget) => void,
  onError: (error: Error) => void,
): TableColumn<KeyDeliveryTarget>[] {
  return [
    {
      title: 'Entity',
      field: 'entityRef',
      render: target => <EntityRefLink entityRef={target.entityRef} />,
    },
    {
      title: 'Key',
      sorting: false,
      render: target => (
        <>
          {target.lastDelivery?.keyName}
          <Typography variant="body2" color="textSecondary">
            {identityLabel(target)}
          </Typography>
        </>
      ),
    },
    {
      title: 'Target',
      field: 'target',
      render: target => <code>{target.target}</code>,
    },
    {
      title: 'When',
      field: 'lastDelivery.at',
      defaultSort: 'desc',
      render: target =>
        target.lastDelivery && <RelativeTime value={target.lastDelivery.at} />,
    },
    { title: 'Error', field: 'lastDelivery.error' },
    {
      title: 'Actions',
      sorting: false,
      align: 'right',
      render: target =>
        // A pull target fails when External Secrets fetches, not when the portal pushes.
        !target.pull && (
          <RetryDeliveryButton
            target={target}
            onDelivered={onRetried}
            onError={onError}
          />
        ),
    },
  ];
}

/**
 * Every target across the organisation whose last delivery failed, with a Retry for push
 * targets; for administrators. Says so when there are none.
 */
export const FailedDeliveriesTable = () => {
  const api = useApi(ingestionKeysApiRef);
  const alertApi = useApi(alertApiRef);
  const failed = useAsyncRetry(
    async () => (await api.listFailedDeliveries()).items,
    [api],
  );
  // Through a ref: `retry` changes as the list loads, and new columns would reset the table's
  // sort and page.
  const reload = useLatest(failed.retry);
  const onRetried = useCallback(
    (target: KeyDeliveryTarget) => {
      alertApi.post({
        message: `${target.target}: ${describeLastDelivery(target)}`,
        severity:
          target.lastDelivery?.outcome === 'failed' ? 'error' : 'success',
        display: 'transient',
      });
      reload.current();
    },
    [alertApi, reload],
  );
  const onError = useCallback(
    (error: Error) =>
      alertApi.post({ message: errorMessage(error), severity: 'error' }),
    [alertApi],
  );
  const tableColumns = useMemo(
    () => columns(onRetried, onError),
    [onRetried, onError],
  );

  if (failed.error) {
    return <ResponseErrorPanel title={TITLE} error={failed.error} />;
  }
  if (!failed.value) {
    return <Progress />;
  }
  return (
    <section aria-label={TITLE}>
      {failed.value.length === 0 ? (
        <InfoCard title={TITLE}>
          <Typography variant="body2">
            None: every delivery target got its key the last time.
          </Typography>
        </InfoCard>
      ) : (
        <Table<KeyDeliveryTarget>
          title={TITLE}
          subtitle="Targets whose last delivery failed; their senders may run on an old or no key."
          data={failed.value}
          columns={tableColumns}
          options={{
            ...compactTableOptions(failed.value.length, PAGE_SIZE),
            thirdSortClick: false,
          }}
        />
      )}
    </section>
  );
};
