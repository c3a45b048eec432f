/**
 * A request the Kubernetes API answered with an error status, described by its `Status` object.
 * Carries nothing of the request: `message` is the Status message, already redacted.
 */
export class KubernetesApiError extends Error {
  readonly name = 'KubernetesApiError';

  constructor(
    readonly code: number,
    /** The Status `reason`, such as `NotFound` or `AlreadyExists`; empty when there was none. */
    readonly reason: string,
    /** The `kind` in the Status `details`, such as `secrets` or `namespaces`. */
    readonly detailsKind: string | undefined,
    message: string,
  ) {
    super(message);
  }
}
