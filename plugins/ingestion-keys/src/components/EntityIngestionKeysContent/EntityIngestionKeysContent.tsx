import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useCallback, useState } from 'react';
import { useEntityDeliveryTargets } from '../../hooks/useEntityDeliveryTargets';
import { useEntityEvents } from '../../hooks/useEntityEvents';
import { useEntityKeys } from '../../hooks/useEntityKeys';
import { useEntityProvisioningStatus } from '../../hooks/useEntityProvisioningStatus';
import { useIngestionKeysSettings } from '../../hooks/useIngestionKeysSettings';
import { CreateKeyButton } from '../CreateKeyButton/CreateKeyButton';
import { CreateKeyDialog } from '../CreateKeyDialog/CreateKeyDialog';
import { DeclaredKeysPanel } from '../DeclaredKeysPanel/DeclaredKeysPanel';
import { HistoryTable } from '../HistoryTable/HistoryTable';
import { KeyDialogRequest, KeyDialogs } from '../KeyDialogs/KeyDialogs';
import {
  EMPTY_KEY_FILTERS,
  KeyFilters,
  KeyFilterValues,
} from '../KeyFilters/KeyFilters';
import { KeysEmptyState } from '../KeysEmptyState/KeysEmptyState';
import { LabelledSwitch } from '../LabelledSwitch/LabelledSwitch';
import { KeysTable } from '../KeysTable/KeysTable';
import { RotatingKeyNotice } from '../RotatingKeyNotice/RotatingKeyNotice';

/**
 * The Ingestion Keys tab of an entity: its keys with their actions, reminders to finish
 * rotations, the keys its catalog file declares, and the audit trail.
 */
export const EntityIngestionKeysContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const settings = useIngestionKeysSettings();
  const [showRevoked, setShowRevoked] = useState(false);
  const [filters, setFilters] = useState<KeyFilterValues>(EMPTY_KEY_FILTERS);
  const keys = useEntityKeys(entityRef, showRevoked);
  const events = useEntityEvents(entityRef);
  const provisioning = useEntityProvisioningStatus(entityRef);
  const deliveries = useEntityDeliveryTargets(entityRef);
  const [dialog, setDialog] = useState<KeyDialogRequest>();
  const [creating, setCreating] = useState(false);

  const { retry: reloadKeys } = keys;
  const { retry: reloadEvents } = events;
  const { retry: reloadProvisioning } = provisioning;
  const { retry: reloadDeliveries } = deliveries;
  // Creating or revoking a key can change where a declared entry stands; rotating one, which
  // key its targets hold.
  const reload = useCallback(() => {
    reloadKeys();
    reloadEvents();
    reloadProvisioning();
    reloadDeliveries();
  }, [reloadKeys, reloadEvents, reloadProvisioning, reloadDeliveries]);

  const error = settings.error ?? keys.error;
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!settings.value || !keys.value) {
    return <Progress />;
  }

  const allKeys = keys.value;
  const shownKeys = allKeys.filter(
    key =>
      (!filters.environment || key.environment === filters.environment) &&
      (!filters.type || key.type === filters.type),
  );
  const rotatingKeys = allKeys.filter(key => key.status === 'rotating');
  const openCreate = () => setCreating(true);
  const declaredKeys = (
    <Grid item xs={12}>
      <DeclaredKeysPanel
        status={provisioning}
        environments={settings.value.environments}
      />
    </Grid>
  );

  return (
    <Grid container spacing={3}>
      {allKeys.length === 0 && !showRevoked ? (
        <>
          <Grid item xs={12}>
            <KeysEmptyState action={<CreateKeyButton onClick={openCreate} />} />
          </Grid>
          {declaredKeys}
        </>
      ) : (
        <>
          <Grid item xs={12}>
            <Box
              display="flex"
              alignItems="center"
              justifyContent="space-between"
              style={{ gap: 16 }}
            >
              <Typography variant="body1">
                Keys that let this entity's sensors, browsers and pushers send
                data to groundcover. One key per integration.
              </Typography>
              <CreateKeyButton onClick={openCreate} />
            </Box>
          </Grid>
          {rotatingKeys.map(key => (
            <Grid item xs={12} key={key.id}>
              <RotatingKeyNotice
                ingestionKey={key}
                successorName={
                  allKeys.find(k => k.id === key.replacedById)?.name
                }
                onRevoke={k => setDialog({ kind: 'revoke', key: k })}
              />
            </Grid>
          ))}
          {declaredKeys}
          <Grid item xs={12}>
            <Box display="flex" alignItems="center" style={{ gap: 16 }}>
              <KeyFilters
                values={filters}
                onChange={setFilters}
                fields={['environment', 'type']}
                settings={settings.value}
              />
              <LabelledSwitch
                label="Show revoked keys"
                checked={showRevoked}
                onChange={setShowRevoked}
              />
            </Box>
            <KeysTable
              title="Keys"
              data={shownKeys}
              onOpen={setDialog}
              emptyMessage="No keys match the filters."
              deliveryTargets={{
                targets: deliveries.value,
                error: deliveries.error,
              }}
            />
          </Grid>
        </>
      )}
      <Grid item xs={12}>
        <HistoryTable title="History" events={events} />
      </Grid>
      {creating && (
        <CreateKeyDialog
          entityRef={entityRef}
          settings={settings.value}
          existingKeys={allKeys}
          onClose={() => setCreating(false)}
          onCreated={reload}
          onOpenKey={key => {
            setCreating(false);
            setDialog({ kind: 'details', key, reveal: false });
          }}
        />
      )}
      <KeyDialogs
        request={dialog}
        settings={settings.value}
        onRequestChange={setDialog}
        onChanged={reload}
      />
    </Grid>
  );
};
