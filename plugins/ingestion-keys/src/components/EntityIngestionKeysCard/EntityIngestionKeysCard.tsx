import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  IngestionKey,
  INGESTION_KEY_TYPE_LABELS,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useEntityKeys } from '../../hooks/useEntityKeys';
import { useIngestionKeysSettings } from '../../hooks/useIngestionKeysSettings';

function describe(keys: IngestionKey[]): string {
  if (keys.length === 0) {
    return 'No keys';
  }
  const types = [...new Set(keys.map(k => INGESTION_KEY_TYPE_LABELS[k.type]))];
  const rotating = keys.filter(k => k.status === 'rotating').length;
  return [
    `${keys.length} ${keys.length === 1 ? 'key' : 'keys'}: ${types.join(', ')}`,
    ...(rotating ? [`${rotating} rotating`] : []),
  ].join(' · ');
}

/** Overview card: how many keys the entity has in each environment, and what for. */
export const EntityIngestionKeysCard = () => {
  const { entity } = useEntity();
  const settings = useIngestionKeysSettings();
  const keys = useEntityKeys(stringifyEntityRef(entity), false);
  const entityLink = useEntityRefLink();

  const error = settings.error ?? keys.error;
  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!settings.value || !keys.value) {
    content = <Progress />;
  } else if (keys.value.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No ingestion keys yet. Create them on the Ingestion Keys tab.
      </Typography>
    );
  } else {
    const allKeys = keys.value;
    // Configured environments first, then any a key still has after the configuration changed.
    const environments = [
      ...new Set([
        ...settings.value.environments,
        ...allKeys.map(k => k.environment),
      ]),
    ];
    content = (
      <List dense disablePadding aria-label="Keys per environment">
        {environments.map(environment => (
          <ListItem key={environment} disableGutters>
            <ListItemText
              primary={environment}
              secondary={describe(
                allKeys.filter(k => k.environment === environment),
              )}
            />
          </ListItem>
        ))}
      </List>
    );
  }

  return (
    <InfoCard
      title="Ingestion keys"
      deepLink={{
        title: 'Manage ingestion keys',
        link: `${entityLink(entity)}/ingestion-keys`,
      }}
    >
      {content}
    </InfoCard>
  );
};
