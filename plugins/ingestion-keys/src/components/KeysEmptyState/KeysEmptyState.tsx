import Typography from '@material-ui/core/Typography';
import { EmptyState } from '@backstage/core-components';
import { PROVISION_ANNOTATION } from '@ingestion-keys/plugin-ingestion-keys-common';
import { ReactElement } from 'react';

/** What ingestion keys are and the two ways to get one, for an entity that has none yet. */
export const KeysEmptyState = (props: { action: ReactElement }) => (
  <EmptyState
    missing="content"
    title="No ingestion keys yet"
    description={
      // EmptyState renders the description inside a paragraph: blocks must be spans.
      <>
        <Typography component="span" display="block" paragraph>
          Ingestion keys let sensors, browsers (RUM) and third-party pushers
          such as OpenTelemetry collectors or Fluent Bit send observability data
          to groundcover.
        </Typography>
        <Typography component="span" display="block">
          Create one key per integration, so that each can be rotated or revoked
          without touching the others. Create it here, or declare the keys this
          entity needs in its catalog file with the{' '}
          <code>{PROVISION_ANNOTATION}</code> annotation: see Declared keys
          below.
        </Typography>
      </>
    }
    action={props.action}
  />
);
