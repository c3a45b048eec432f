import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KubernetesApiError } from './client';
import { KubernetesSecretAddress } from './KubernetesSecretAddress';

/**
 * The error to throw for a failed request to the cluster, in words that say what to fix. Built
 * from status codes and the `Status` object's reason and (already redacted) message only.
 */
export function errorForFailedRequest(
  error: unknown,
  context: {
    verb: 'get' | 'create' | 'update';
    address: KubernetesSecretAddress;
    redact: (text: string) => string;
  },
): Error {
  if (!(error instanceof KubernetesApiError)) {
    if (error instanceof ServiceUnavailableError) {
      return error;
    }
    return new Error(
      `Delivery to cluster ${context.address.cluster} failed: ${context.redact(
        String((error as Error)?.message ?? error),
      )}`,
    );
  }
  const { cluster, namespace, secretName } = context.address;
  const secret = `Secret ${namespace}/${secretName} in cluster ${cluster}`;
  const answered = `${error.code}${error.reason ? ` ${error.reason}` : ''}`;
  const said = error.message ? `: ${error.message}` : '';
  switch (error.code) {
    case 401:
      return new NotAllowedError(
        `Cluster ${cluster} refused the service-account token (401 Unauthorized): check serviceAccountToken of cluster ${cluster} in ingestionKeys.kubernetes.clusters`,
      );
    case 403:
      return new NotAllowedError(
        `The service account of cluster ${cluster} may not ${context.verb} secrets in namespace ${namespace} (403 Forbidden): grant it get, create and update on secrets in that namespace with a Role and RoleBinding`,
      );
    case 404:
      return new NotFoundError(
        error.detailsKind === 'namespaces'
          ? `Namespace ${namespace} does not exist in cluster ${cluster}: create it, or point the target at an existing namespace`
          : `Cluster ${cluster} answered ${answered} to ${context.verb} ${secret}${said}; check the cluster's url`,
      );
    case 409:
      return new ConflictError(
        `${secret} could not be written (${answered})${said}`,
      );
    case 422:
      return new InputError(
        `Cluster ${cluster} refused ${secret} as invalid${said}`,
      );
    default:
      if (error.code === 429 || error.code >= 500) {
        return new ServiceUnavailableError(
          `Cluster ${cluster} could not ${context.verb} ${secret} now (${answered})${said}`,
        );
      }
      return new Error(
        `Cluster ${cluster} answered ${answered} to ${context.verb} ${secret}${said}`,
      );
  }
}
