/** The main backend, and one where the guest is an ingestion-keys admin (org-wide page). */
export const ports = { main: 7017, admin: 7018 };
export const adminBaseURL = `http://localhost:${ports.admin}`;

/**
 * The Kubernetes Secrets API stand-ins (e2e/kubernetesStandIn.ts) the two backends deliver to,
 * and the service-account token they accept (a test value, not a secret).
 */
export const kubernetesStandIn = {
  ports: { main: 7019, admin: 7020 },
  token: 'e2e-service-account-token',
  /** Where the stand-ins' CA is written for the backends' config (relative to the repo root). */
  caFile: 'e2e-results/kubernetes-ca.pem',
};
