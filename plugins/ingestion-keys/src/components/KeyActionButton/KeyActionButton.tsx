import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import { MouseEvent, ReactNode } from 'react';

/**
 * A compact icon button named by `label` (for screen readers and tests) whose tooltip shows the
 * label, or why the action is disabled. Disabled buttons fire no mouse events, so the tooltip
 * listens on a wrapping span.
 */
export const KeyActionButton = (props: {
  label: string;
  icon: ReactNode;
  onClick: (event: MouseEvent<HTMLElement>) => void;
  disabled?: boolean;
  disabledReason?: string;
  'aria-haspopup'?: boolean;
  'aria-controls'?: string;
}) => {
  const { label, icon, onClick, disabled, disabledReason, ...aria } = props;
  return (
    <Tooltip title={(disabled && disabledReason) || label}>
      <span>
        <IconButton
          size="small"
          aria-label={label}
          disabled={disabled}
          onClick={onClick}
          {...aria}
        >
          {icon}
        </IconButton>
      </span>
    </Tooltip>
  );
};
