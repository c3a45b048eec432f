import { HumanDuration } from '@backstage/types';

export interface Config {
  ingestionKeys?: {
    /**
     * Delivery of key values into Kubernetes Secrets (targets `kubernetes:<address>`). The module
     * adds the delivery provider only when at least one cluster is configured.
     */
    kubernetes?: {
      clusters?: Array<{
        /** How addresses name the cluster, for example `prod-eu`. Unique. */
        name: string;
        /** The cluster's API server, for example `https://k8s.example.com:6443`. */
        url: string;
        /**
         * The CA that signed the API server's certificate, PEM (or base64 of the PEM, as in a
         * kubeconfig's `certificate-authority-data`). Default: the system's trusted CAs.
         */
        caData?: string;
        /**
         * Token of the service account that writes the Secrets (see the README for its Role).
         * @visibility secret
         */
        serviceAccountToken: string;
        /** How long one request to the cluster may take. Default 10 seconds. */
        timeout?: HumanDuration | string;
      }>;
      /** What an address that leaves them out means. */
      defaults?: {
        /** Default `api-key`, the Secret the groundcover Helm chart reads. */
        secretName?: string;
        /** Default `API_KEY`, the data key the groundcover Helm chart reads. */
        dataKey?: string;
      };
    };
  };
}
