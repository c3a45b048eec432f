import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

import { kubernetesStandIn, ports } from './e2e/ports';

/**
 * The end-to-end suite runs the production build of the app, served by the backend (started and
 * stopped by Playwright), in Debian's Chromium.
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: require.resolve('./e2e/globalSetup'),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  workers: 1,
  outputDir: 'e2e-results/artifacts',
  webServer: [
    // Started first: the backends read the CA it writes.
    {
      command:
        'node --require @backstage/cli/config/nodeTransform.cjs e2e/kubernetesStandIn.ts',
      port: kubernetesStandIn.ports.admin,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    },
    ...[ports.main, ports.admin].map((port, i) => ({
      command:
        'yarn workspace backend start --config ../../app-config.yaml --config ../../e2e/app-config.e2e.yaml' +
        (i === 1 ? ' --config ../../e2e/app-config.e2e-admin.yaml' : ''),
      url: `http://localhost:${port}/.backstage/health/v1/readiness`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
      env: {
        E2E_KUBERNETES_URL: `https://127.0.0.1:${
          Object.values(kubernetesStandIn.ports)[i]
        }`,
        E2E_KUBERNETES_TOKEN: kubernetesStandIn.token,
      },
    })),
  ],
  use: {
    baseURL: `http://localhost:${ports.main}`,
    permissions: ['clipboard-read', 'clipboard-write'],
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: 'chromium' }],
});
