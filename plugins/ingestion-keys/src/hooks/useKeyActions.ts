import { parseEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  IngestionKey,
  ingestionKeyRevealPermission,
  ingestionKeyRevokePermission,
  ingestionKeyRotatePermission,
} from '@ingestion-keys/plugin-ingestion-keys-common';

export interface KeyActionState {
  enabled: boolean;
  /** Why the action is disabled, for a tooltip; absent while the permission is being checked. */
  reason?: string;
}

export interface KeyActions {
  reveal: KeyActionState;
  rotate: KeyActionState;
  revoke: KeyActionState;
}

type Verb = keyof KeyActions;

/**
 * Which actions the user may take on a key, from the key's status and the user's permissions.
 * Key permissions are resource permissions on the owning entity, so they are asked with its ref:
 * the question `useEntityPermission` asks, but usable where keys of many entities are listed (the
 * org-wide page). Only a hint for the UI: the backend decides.
 */
export function useKeyActions(key: IngestionKey): KeyActions {
  const resourceRef = key.entityRef;
  const permissions = {
    reveal: usePermission({
      permission: ingestionKeyRevealPermission,
      resourceRef,
    }),
    rotate: usePermission({
      permission: ingestionKeyRotatePermission,
      resourceRef,
    }),
    revoke: usePermission({
      permission: ingestionKeyRevokePermission,
      resourceRef,
    }),
  };

  const state = (verb: Verb): KeyActionState => {
    const statusReason = blockedByStatus(key, verb);
    if (statusReason) {
      return { enabled: false, reason: statusReason };
    }
    const { loading, allowed } = permissions[verb];
    if (loading) {
      return { enabled: false };
    }
    return allowed
      ? { enabled: true }
      : {
          enabled: false,
          reason: `You are not allowed to ${verb} keys of ${
            parseEntityRef(key.entityRef).name
          }`,
        };
  };

  return {
    reveal: state('reveal'),
    rotate: state('rotate'),
    revoke: state('revoke'),
  };
}

function blockedByStatus(key: IngestionKey, verb: Verb): string | undefined {
  switch (key.status) {
    case 'revoked':
      return 'This key has been revoked';
    case 'pending':
      return 'This key is still being created';
    case 'rotating':
      return verb === 'rotate'
        ? 'Already rotated: revoke this key once its successor is rolled out'
        : undefined;
    default:
      return undefined;
  }
}
