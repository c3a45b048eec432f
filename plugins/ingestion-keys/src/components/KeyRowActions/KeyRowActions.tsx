import Box from '@material-ui/core/Box';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import Typography from '@material-ui/core/Typography';
import AutorenewIcon from '@material-ui/icons/Autorenew';
import MoreVertIcon from '@material-ui/icons/MoreVert';
import VisibilityIcon from '@material-ui/icons/Visibility';
import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { useState } from 'react';
import { useKeyActions } from '../../hooks/useKeyActions';
import { ActorLink } from '../ActorLink/ActorLink';
import { DisabledReason } from '../DisabledReason/DisabledReason';
import { KeyActionButton } from '../KeyActionButton/KeyActionButton';
import { KeyDialogRequest } from '../KeyDialogs/KeyDialogs';
import { RelativeTime } from '../RelativeTime/RelativeTime';

/** Reveal, Rotate and a ⋮ menu (usage snippets, delivery, revoke) for one key of the table. */
export const KeyRowActions = (props: {
  ingestionKey: IngestionKey;
  onOpen: (request: KeyDialogRequest) => void;
}) => {
  const { ingestionKey: key, onOpen } = props;
  const actions = useKeyActions(key);
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement>();

  if (key.status === 'revoked') {
    return (
      <Typography variant="caption" color="textSecondary">
        Revoked
        {key.revokedBy && (
          <>
            {' by '}
            <ActorLink actor={key.revokedBy} />
          </>
        )}
        {key.revokedAt && (
          <>
            {' '}
            <RelativeTime value={key.revokedAt} />
          </>
        )}
      </Typography>
    );
  }

  const openFromMenu = (request: KeyDialogRequest) => {
    setMenuAnchor(undefined);
    onOpen(request);
  };
  const menuId = `key-actions-${key.id}`;
  return (
    <Box display="flex" alignItems="center" justifyContent="flex-end">
      <KeyActionButton
        label="Reveal"
        icon={<VisibilityIcon />}
        disabled={!actions.reveal.enabled}
        disabledReason={actions.reveal.reason}
        onClick={() => onOpen({ kind: 'details', key, reveal: true })}
      />
      <KeyActionButton
        label="Rotate"
        icon={<AutorenewIcon />}
        disabled={!actions.rotate.enabled}
        disabledReason={actions.rotate.reason}
        onClick={() => onOpen({ kind: 'rotate', key })}
      />
      <KeyActionButton
        label="More actions"
        icon={<MoreVertIcon />}
        aria-haspopup
        aria-controls={menuAnchor ? menuId : undefined}
        onClick={event => setMenuAnchor(event.currentTarget)}
      />
      <Menu
        id={menuId}
        anchorEl={menuAnchor}
        open={Boolean(menuAnchor)}
        onClose={() => setMenuAnchor(undefined)}
      >
        <MenuItem
          onClick={() => openFromMenu({ kind: 'details', key, reveal: false })}
        >
          Usage snippets
        </MenuItem>
        <MenuItem onClick={() => openFromMenu({ kind: 'delivery', key })}>
          Delivery targets
        </MenuItem>
        <DisabledReason reason={actions.revoke.reason}>
          <MenuItem
            disabled={!actions.revoke.enabled}
            onClick={() => openFromMenu({ kind: 'revoke', key })}
          >
            Revoke
          </MenuItem>
        </DisabledReason>
      </Menu>
    </Box>
  );
};
