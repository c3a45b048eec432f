import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CodeSnippet } from '@backstage/core-components';
import {
  buildUsageSnippets,
  KEY_PLACEHOLDER,
  UsageSnippetOptions,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** How to hand the key to its data sender, one snippet per way of sending. */
export const UsageSnippets = (props: UsageSnippetOptions) => {
  return (
    <section aria-label="Usage">
      <Typography variant="h6" component="h3">
        Usage
      </Typography>
      {!props.secret && (
        <Typography variant="body2" color="textSecondary">
          The key appears as <code>{KEY_PLACEHOLDER}</code> until you reveal it.
        </Typography>
      )}
      {buildUsageSnippets(props).map(snippet => (
        <Box key={snippet.title} mt={2}>
          <Typography variant="subtitle2" component="h4">
            {snippet.title}
          </Typography>
          <CodeSnippet
            text={snippet.text}
            // Plain text: the syntax colours of Backstage's code themes (comments, strings) fall
            // short of WCAG AA contrast in both the light and the dark theme.
            language="text"
            showCopyCodeButton
          />
        </Box>
      ))}
    </section>
  );
};
