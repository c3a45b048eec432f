/**
 * A cluster that key values can be delivered to.
 *
 * @public
 */
export interface KubernetesClusterSettings {
  /** How addresses name the cluster, for example `prod-eu`. */
  name: string;
  /** The API server, for example `https://k8s.example.com:6443`. */
  url: string;
  /** The CA of the API server's certificate: PEM, or base64 of the PEM. Default: the system's CAs. */
  caData?: string;
  /** Never logged nor put in an error. */
  serviceAccountToken: string;
  /** How long one request may take. Default 10000. */
  timeoutMs?: number;
}
