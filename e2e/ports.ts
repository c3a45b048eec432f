/** The main backend, and one where the guest is an ingestion-keys admin (org-wide page). */
export const ports = { main: 7017, admin: 7018 };
export const adminBaseURL = `http://localhost:${ports.admin}`;
