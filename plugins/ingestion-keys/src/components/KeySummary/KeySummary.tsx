import Typography from '@material-ui/core/Typography';
import {
  IngestionKey,
  INGESTION_KEY_TYPE_LABELS,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** "Sensor key for production · otel-collector · remote configuration" */
export const KeySummary = (props: { ingestionKey: IngestionKey }) => {
  const { type, environment, integration, remoteConfig } = props.ingestionKey;
  const parts = [
    `${INGESTION_KEY_TYPE_LABELS[type]} key for ${environment}`,
    ...(integration ? [integration] : []),
    ...(remoteConfig ? ['remote configuration'] : []),
  ];
  return (
    <Typography variant="body2" color="textSecondary" paragraph>
      {parts.join(' · ')}
    </Typography>
  );
};
