import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// Software templates, with the ingestion-keys actions (ingestion-keys:create, :declare).
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@ingestion-keys/plugin-scaffolder-backend-module-ingestion-keys'),
);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissions/demoPermissionPolicyModule'));

// Ingestion keys: the embedded key store by default; the groundcover module adds its store
// when `ingestionKeys.groundcover` is configured and `ingestionKeys.provider: groundcover`.
backend.add(import('@ingestion-keys/plugin-ingestion-keys-backend'));
backend.add(
  import('@ingestion-keys/plugin-ingestion-keys-backend-module-groundcover'),
);
// Delivery of key values into Kubernetes Secrets (targets `kubernetes:<cluster>/<namespace>`).
// The demo configures no cluster under `ingestionKeys.kubernetes.clusters`, so the module only
// logs that it adds no delivery provider.
backend.add(
  import('@ingestion-keys/plugin-ingestion-keys-backend-module-kubernetes'),
);

// Notifications (owners hear of revoked, rotated, undesired keys and provisioning failures),
// pushed to the browser through signals.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// MCP tools for AI assistants at /api/mcp-actions/v1: the actions of the plugins named in
// backend.actions.pluginSources (app-config.yaml), run with the caller's own credentials.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
