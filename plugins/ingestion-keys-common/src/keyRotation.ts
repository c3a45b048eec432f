import { IngestionKey, IngestionKeyOrigin, IngestionKeySpec } from './types';

/**
 * What a rotation successor takes over from the key it replaces.
 *
 * @public
 */
export interface KeySuccessor extends IngestionKeySpec {
  remoteConfig: boolean;
  origin: IngestionKeyOrigin;
  ownerRef?: string;
  /** The generation its name is generated with: one more than the old key's. */
  generation: number;
  replacesId: string;
}

/**
 * Why a key cannot be rotated, in words for the person asking; undefined when it can.
 *
 * @public
 */
export function rotationRefusal(
  key: Pick<IngestionKey, 'name' | 'status' | 'replacedById'>,
): string | undefined {
  if (key.status === 'active') {
    return undefined;
  }
  return key.replacedById
    ? `Key ${key.name} has already been rotated; rotate its successor instead`
    : `Only active keys can be rotated; ${key.name} is ${key.status}`;
}

/**
 * The successor of a key: same identity, remote configuration and owner. The successor of a
 * provisioned or adopted key stays under provisioning, so it is reported as undesired once its
 * entry goes; a manual key's successor stays manual.
 *
 * @public
 */
export function successorOf(
  old: Pick<
    IngestionKey,
    | 'id'
    | 'entityRef'
    | 'environment'
    | 'type'
    | 'integration'
    | 'remoteConfig'
    | 'origin'
    | 'ownerRef'
  > & { generation: number },
): KeySuccessor {
  return {
    entityRef: old.entityRef,
    environment: old.environment,
    type: old.type,
    ...(old.integration ? { integration: old.integration } : {}),
    remoteConfig: old.remoteConfig,
    origin: old.origin === 'manual' ? 'manual' : 'provisioned',
    ...(old.ownerRef ? { ownerRef: old.ownerRef } : {}),
    generation: old.generation + 1,
    replacesId: old.id,
  };
}
