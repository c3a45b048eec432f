import Tooltip from '@material-ui/core/Tooltip';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

function parse(actor: string): CompoundEntityRef | undefined {
  try {
    return parseEntityRef(actor);
  } catch {
    return undefined;
  }
}

/**
 * Who did something: a link to the user's catalog page, or, for a service such as
 * `plugin:ingestion-keys/provisioner` which has no page, its short name with the full one on hover.
 */
export const ActorLink = (props: { actor: string }) => {
  const ref = parse(props.actor);
  if (ref?.kind.toLocaleLowerCase('en-US') === 'user') {
    return <EntityRefLink entityRef={ref} defaultKind="user" />;
  }
  return (
    <Tooltip title={props.actor}>
      <span>{ref?.name ?? props.actor}</span>
    </Tooltip>
  );
};
