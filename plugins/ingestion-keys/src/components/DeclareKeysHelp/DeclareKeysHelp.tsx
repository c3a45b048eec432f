import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CodeSnippet } from '@backstage/core-components';
import {
  INGESTION_KEY_TYPES,
  PROVISION_ANNOTATION,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { buildAnnotationSnippet } from './buildAnnotationSnippet';

/**
 * How an entity declares the keys it needs, for one that declares none: the annotation's format
 * and an example for the configured environments, ready to paste into the catalog file.
 */
export const DeclareKeysHelp = (props: { environments: string[] }) => {
  const { environments } = props;
  return (
    <>
      <Typography variant="body2" paragraph>
        This entity declares no keys. Add the{' '}
        <code>{PROVISION_ANNOTATION}</code> annotation to its catalog file and
        the next provisioning run creates the keys it lists: one key per entry,
        each written <code>{'<environment>:<type>[:<integration>]'}</code> and
        separated by commas.
      </Typography>
      <Typography variant="body2" paragraph>
        Environments: {environments.join(', ') || 'none configured'}. Types:{' '}
        {INGESTION_KEY_TYPES.join(', ')}. The optional integration label
        (lowercase letters, digits and hyphens) tells several keys of one type
        apart, for example <code>otel-collector</code>.
      </Typography>
      <Box component="figure" m={0} aria-label="Example annotation">
        <CodeSnippet
          text={buildAnnotationSnippet(environments)}
          language="yaml"
          showCopyCodeButton
        />
      </Box>
    </>
  );
};
