import Tooltip from '@material-ui/core/Tooltip';
import { ReactElement } from 'react';

/**
 * Explains on hover why the wrapped control is disabled. Disabled elements fire no mouse events,
 * so the tooltip listens on a wrapping span instead.
 */
export const DisabledReason = (props: {
  reason?: string;
  children: ReactElement;
}) =>
  props.reason ? (
    <Tooltip title={props.reason}>
      <span>{props.children}</span>
    </Tooltip>
  ) : (
    props.children
  );
