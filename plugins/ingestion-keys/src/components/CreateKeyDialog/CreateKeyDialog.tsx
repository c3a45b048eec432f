import Box from '@material-ui/core/Box';
import DialogContentText from '@material-ui/core/DialogContentText';
import Link from '@material-ui/core/Link';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  generateKeyName,
  IngestionKey,
  INGESTION_KEY_TYPE_LABELS,
  IngestionKeysSettings,
  IngestionKeyType,
  isValidKeyName,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { ingestionKeysApiRef } from '../../api';
import { KeyDialog } from '../KeyDialog/KeyDialog';
import { firstFreeIdentity, liveKeyOf } from './liveKeyOf';
import { KeySecretPanel } from '../KeySecretPanel/KeySecretPanel';
import { LabelledSelect } from '../LabelledSelect/LabelledSelect';
import { LabelledSwitch } from '../LabelledSwitch/LabelledSwitch';

const STATUS_WORDS: Record<IngestionKey['status'], string> = {
  pending: 'being created',
  active: 'active',
  rotating: 'being rotated',
  revoked: 'revoked',
};

const TYPE_HELP: Record<IngestionKeyType, string> = {
  sensor: 'The eBPF sensor on Kubernetes or on hosts',
  rum: 'Real-user monitoring from a web page',
  thirdParty: 'Pushers: OpenTelemetry, Fluent Bit, Firehose and the like',
};

/**
 * Asks for what the key is for (environment, type, integration); the name follows from those,
 * previewed as the user types exactly as the backend will generate it. On success the dialog
 * shows the new key and how to use it.
 */
export const CreateKeyDialog = (props: {
  entityRef: string;
  settings: IngestionKeysSettings;
  /** The entity's keys, so that the dialog can tell which identities are taken. */
  existingKeys: IngestionKey[];
  onClose: () => void;
  onCreated: () => void;
  /** Opens an existing key instead (the dialog's owner closes this one). */
  onOpenKey: (key: IngestionKey) => void;
}) => {
  const { entityRef, settings, existingKeys, onClose, onCreated, onOpenKey } =
    props;
  const api = useApi(ingestionKeysApiRef);
  // Start on an identity that has no key yet: the first one usually does (provisioning made it).
  const [initial] = useState(() =>
    firstFreeIdentity(settings, entityRef, existingKeys),
  );
  const [environment, setEnvironment] = useState(initial.environment);
  const [type, setType] = useState<IngestionKeyType>(initial.type);
  const [integration, setIntegration] = useState('');
  // Sensors pull their remote configuration (e.g. parsing rules) with their key.
  const [remoteConfig, setRemoteConfig] = useState(true);

  // Integration labels become part of the name, so they follow the same rule as names.
  const integrationValid = integration === '' || isValidKeyName(integration);
  const previewName = integrationValid
    ? generateKeyName({
        entityRef,
        environment,
        type,
        integration: integration || undefined,
        pattern: settings.namingPattern,
      })
    : '—';

  const existing = integrationValid
    ? liveKeyOf(existingKeys, {
        entityRef,
        environment,
        type,
        integration: integration || undefined,
      })
    : undefined;

  const [{ value: created, loading, error }, create] = useAsyncFn(async () => {
    const result = await api.createKey({
      entityRef,
      environment,
      type,
      ...(integration ? { integration } : {}),
      ...(type === 'sensor' ? { remoteConfig } : {}),
    });
    onCreated();
    return result;
  }, [api, entityRef, environment, type, integration, remoteConfig, onCreated]);

  const titleId = 'create-key-title';
  if (created) {
    return (
      <KeyDialog
        titleId={titleId}
        title="Key created"
        onClose={onClose}
        maxWidth="md"
        fullWidth
        actions={{ closeLabel: 'Done' }}
      >
        <DialogContentText>
          <strong>{created.key.name}</strong> is ready. Copy it into your
          sender's configuration; you can reveal it again later.
        </DialogContentText>
        <KeySecretPanel
          ingestionKey={created.key}
          settings={settings}
          initialSecret={created.secret}
        />
      </KeyDialog>
    );
  }

  return (
    <KeyDialog
      titleId={titleId}
      title="Create ingestion key"
      onClose={onClose}
      fullWidth
      error={error}
      actions={{
        confirmLabel: 'Create',
        color: 'primary',
        disabled: !integrationValid || !!existing || loading,
        onConfirm: create,
        form: true,
      }}
    >
      <DialogContentText>
        Create one key per integration, so each can be rotated and revoked on
        its own.
      </DialogContentText>
      <LabelledSelect
        id="create-key-environment"
        label="Environment"
        value={environment}
        onChange={setEnvironment}
        options={settings.environments.map(e => ({ value: e, label: e }))}
        fullWidth
      />
      <LabelledSelect
        id="create-key-type"
        label="Type"
        value={type}
        onChange={value => setType(value as IngestionKeyType)}
        options={settings.types.map(t => ({
          value: t,
          label: INGESTION_KEY_TYPE_LABELS[t],
        }))}
        helperText={TYPE_HELP[type]}
        fullWidth
      />
      <TextField
        id="create-key-integration"
        label="Integration"
        placeholder="otel-collector"
        value={integration}
        onChange={event => setIntegration(event.target.value)}
        error={!integrationValid}
        helperText={
          integrationValid
            ? 'Optional: names the sender that uses the key'
            : 'Use lowercase letters, digits and hyphens, e.g. otel-collector'
        }
        variant="outlined"
        size="small"
        margin="dense"
        fullWidth
        InputLabelProps={{ shrink: true }}
      />
      {type === 'sensor' && (
        <LabelledSwitch
          label="Remote configuration (the sensor may read its configuration, e.g. parsing rules)"
          checked={remoteConfig}
          onChange={setRemoteConfig}
        />
      )}
      <Box mt={2}>
        <Typography
          id="create-key-name-label"
          variant="caption"
          color="textSecondary"
        >
          Generated key name
        </Typography>
        <Typography
          role="status"
          aria-labelledby="create-key-name-label"
          style={{ fontFamily: 'monospace' }}
        >
          {previewName}
        </Typography>
        {existing && (
          <Typography
            id="create-key-exists"
            role="alert"
            variant="body2"
            color="error"
          >
            This key already exists ({STATUS_WORDS[existing.status]}).{' '}
            <Link
              component="button"
              type="button"
              variant="body2"
              onClick={() => onOpenKey(existing)}
            >
              Open {existing.name}
            </Link>{' '}
            or change the environment, type or integration.
          </Typography>
        )}
      </Box>
    </KeyDialog>
  );
};
