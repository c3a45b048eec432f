import Button from '@material-ui/core/Button';
import AddIcon from '@material-ui/icons/Add';
import { useEntityPermission } from '@backstage/plugin-catalog-react/alpha';
import { ingestionKeyCreatePermission } from '@ingestion-keys/plugin-ingestion-keys-common';
import { DisabledReason } from '../DisabledReason/DisabledReason';

/** Opens the create dialog, for users allowed to create keys for the current entity. */
export const CreateKeyButton = (props: { onClick: () => void }) => {
  const { loading, allowed } = useEntityPermission(
    ingestionKeyCreatePermission,
  );
  return (
    <DisabledReason
      reason={
        loading || allowed
          ? undefined
          : 'You are not allowed to create keys for this entity'
      }
    >
      <Button
        variant="contained"
        color="primary"
        startIcon={<AddIcon />}
        disabled={!allowed}
        onClick={props.onClick}
      >
        Create key
      </Button>
    </DisabledReason>
  );
};
