import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { DeliveryTargetKind } from '@ingestion-keys/plugin-ingestion-keys-common';
import { FormEvent, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { ErrorText } from '../ErrorText/ErrorText';
import { LabelledSelect } from '../LabelledSelect/LabelledSelect';

/**
 * Picks a kind of target and types its address; submits `<kind>:<address>`. The server checks
 * the address: its message (a 400's) shows under the form.
 */
export const AddDeliveryTargetForm = (props: {
  idPrefix: string;
  kinds: DeliveryTargetKind[];
  onAdd: (target: string) => Promise<void>;
}) => {
  const { idPrefix, kinds, onAdd } = props;
  const [kindName, setKindName] = useState(kinds[0].kind);
  const [address, setAddress] = useState('');
  const kind = kinds.find(k => k.kind === kindName) ?? kinds[0];

  const [{ loading, error }, add] = useAsyncFn(async () => {
    await onAdd(`${kind.kind}:${address.trim()}`);
    setAddress('');
  }, [onAdd, kind, address]);

  return (
    <form
      aria-label="Add delivery target"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (address.trim() && !loading) {
          add();
        }
      }}
    >
      <Box display="flex" alignItems="flex-start" style={{ gap: 8 }}>
        {/* Wide enough for a kind's whole name, such as external-secrets. */}
        <Box minWidth={190} flexShrink={0}>
          <LabelledSelect
            id={`${idPrefix}-kind`}
            label="Target kind"
            fullWidth
            value={kind.kind}
            options={kinds.map(k => ({
              value: k.kind,
              label: k.pull ? `${k.kind} (pulls the key)` : k.kind,
            }))}
            onChange={setKindName}
          />
        </Box>
        <TextField
          id={`${idPrefix}-address`}
          label="Address"
          value={address}
          onChange={event => setAddress(event.target.value)}
          helperText={`Written ${kind.addressFormat}`}
          variant="outlined"
          size="small"
          margin="dense"
          fullWidth
          autoComplete="off"
          InputLabelProps={{ shrink: true }}
        />
        <Box mt={1} flexShrink={0}>
          <Button
            type="submit"
            variant="outlined"
            color="primary"
            disabled={!address.trim() || loading}
          >
            Add target
          </Button>
        </Box>
      </Box>
      {error && <ErrorText error={error} />}
    </form>
  );
};
