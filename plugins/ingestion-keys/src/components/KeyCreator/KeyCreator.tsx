import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  IngestionKey,
  PROVISIONER,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { ActorLink } from '../ActorLink/ActorLink';

/**
 * Whose key it is, in the "Created by" column: the person or service that made it, or, for a key
 * provisioning made, the team it was made for (the history still names the provisioner as the
 * actor). "provisioner" alone would tell a reader nothing.
 */
export const KeyCreator = (props: {
  ingestionKey: Pick<IngestionKey, 'createdBy' | 'ownerRef'>;
}) => {
  const { createdBy, ownerRef } = props.ingestionKey;
  if (createdBy !== PROVISIONER) {
    return <ActorLink actor={createdBy} />;
  }
  return ownerRef ? (
    <span>
      provisioned for <EntityRefLink entityRef={ownerRef} defaultKind="group" />
    </span>
  ) : (
    <span>provisioned</span>
  );
};
