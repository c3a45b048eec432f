import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import { CopyTextButton } from '@backstage/core-components';

/**
 * A generated key name (up to 63 characters) on one line, cut with an ellipsis where its column
 * ends: the full name on hover and focus, and a button that copies it. Wrapped at its hyphens,
 * a name took three or four lines of a laptop-wide table.
 */
export const KeyName = (props: { name: string }) => {
  const { name } = props;
  return (
    <Box display="flex" alignItems="center" minWidth={0}>
      <Tooltip title={name}>
        <Box
          component="span"
          // Focusable, so keyboard users get the full name too.
          tabIndex={0}
          overflow="hidden"
          whiteSpace="nowrap"
          style={{ textOverflow: 'ellipsis', minWidth: 0 }}
        >
          {name}
        </Box>
      </Tooltip>
      <CopyTextButton
        text={name}
        aria-label={`Copy name ${name}`}
        tooltipText="Name copied to clipboard"
        // A quiet button: there is one in every row.
        variant="tertiary"
      />
    </Box>
  );
};
