import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { CopyTextButton } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  IngestionKey,
  IngestionKeysSettings,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { useEffect, useRef } from 'react';
import { useKeyActions } from '../../hooks/useKeyActions';
import { useRevealedSecret } from '../../hooks/useRevealedSecret';
import { DisabledReason } from '../DisabledReason/DisabledReason';
import { ErrorText } from '../ErrorText/ErrorText';
import { UsageSnippets } from '../UsageSnippets/UsageSnippets';

const MASK = '•'.repeat(32);

/**
 * A key's value, masked until revealed, with a copy button and the usage snippets for its type.
 * `initialSecret` shows the value a create or rotate call just returned.
 */
export const KeySecretPanel = (props: {
  ingestionKey: IngestionKey;
  settings: IngestionKeysSettings;
  initialSecret?: string;
  revealOnMount?: boolean;
  /** Called after each reveal, which the backend records in the key's history. */
  onRevealed?: () => void;
}) => {
  const { ingestionKey, settings, revealOnMount } = props;
  const actions = useKeyActions(ingestionKey);
  const { secret, revealing, error, reveal, hide } = useRevealedSecret(
    ingestionKey.id,
    { initialSecret: props.initialSecret, onRevealed: props.onRevealed },
  );

  // A ref rather than an empty dependency list: React's strict mode runs effects twice, and
  // each reveal is an audited server call.
  const revealedOnMount = useRef(false);
  useEffect(() => {
    if (revealOnMount && !revealedOnMount.current) {
      revealedOnMount.current = true;
      reveal();
    }
  }, [revealOnMount, reveal]);

  const fieldId = `ingestion-key-value-${ingestionKey.id}`;
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <TextField
          id={fieldId}
          label="Key value"
          value={secret ?? MASK}
          variant="outlined"
          size="small"
          fullWidth
          InputProps={{ readOnly: true, style: { fontFamily: 'monospace' } }}
        />
        {secret ? (
          <>
            <CopyTextButton
              text={secret}
              aria-label="Copy key"
              tooltipText="Key copied to clipboard"
            />
            <Button variant="outlined" onClick={hide}>
              Hide
            </Button>
          </>
        ) : (
          <DisabledReason reason={actions.reveal.reason}>
            <Button
              variant="outlined"
              color="primary"
              onClick={reveal}
              disabled={!actions.reveal.enabled || revealing}
            >
              Reveal
            </Button>
          </DisabledReason>
        )}
      </Box>
      {error && <ErrorText error={error} />}
      <Box mt={2}>
        <UsageSnippets
          type={ingestionKey.type}
          secret={secret}
          environment={ingestionKey.environment}
          appName={parseEntityRef(ingestionKey.entityRef).name}
          endpoints={settings.snippets}
        />
      </Box>
    </>
  );
};
