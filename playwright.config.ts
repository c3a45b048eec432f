import { defineConfig } from '@playwright/test';

const port = 7017;

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
  webServer: {
    command:
      'yarn workspace backend start --config ../../app-config.yaml --config ../../e2e/app-config.e2e.yaml',
    url: `http://localhost:${port}/.backstage/health/v1/readiness`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: `http://localhost:${port}`,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
});
