import { ConflictError } from '@backstage/errors';
import { V1Secret } from '@kubernetes/client-node';
import { KubernetesSecretAddress } from './KubernetesSecretAddress';
import { ANNOTATIONS, MANAGED_BY, MANAGED_BY_LABEL } from './secretMetadata';

/**
 * Throws `ConflictError` unless this portal wrote the Secret: a Secret someone else created (by
 * hand, by Helm, by another portal sharing the cluster) is never overwritten.
 */
export function checkOwnership(
  secret: V1Secret,
  options: { managedBy: string; address: KubernetesSecretAddress },
): void {
  const { address, managedBy } = options;
  const where = `Secret ${address.namespace}/${address.secretName} in cluster ${address.cluster}`;
  const resolve = `delete the Secret so that the portal can create it, or point the target at another Secret`;
  if (secret.metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) {
    throw new ConflictError(
      `${where} already exists and was not created by the Ingestion Keys portal (it lacks the label ${MANAGED_BY_LABEL}=${MANAGED_BY}); ${resolve}`,
    );
  }
  const portal = secret.metadata?.annotations?.[ANNOTATIONS.portal];
  if (portal !== managedBy) {
    throw new ConflictError(
      `${where} belongs to ${
        portal ? `another portal ("${portal}")` : 'no known portal'
      }, not to this one ("${managedBy}"; annotation ${
        ANNOTATIONS.portal
      }); ${resolve}`,
    );
  }
}
