import fs from 'fs';
import path from 'path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';

/**
 * The adopter test's browser half: each stock app prepared by `prepare-app.sh` (its production
 * frontend served by its own backend, started and stopped by Playwright) is one project, so
 * one spec runs against every release line and frontend system.
 */
const work = path.resolve(
  process.env.ADOPTER_WORK ??
    path.join(__dirname, '..', 'e2e-results', 'adopter'),
);
const apps = [
  { name: 'backstage-1.55', variant: '1.55', port: 7027 },
  { name: 'backstage-newest', variant: 'newest', port: 7028 },
  { name: 'backstage-newest-legacy', variant: 'newest-legacy', port: 7029 },
];
/** Not a secret worth keeping: a fresh key for apps that live as long as the test. */
const encryptionKey = Buffer.alloc(32, 7).toString('base64');

function appDir(variant: string) {
  const file = path.join(work, variant, 'app-dir');
  return fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').trim()
    : path.join(work, variant, 'missing-app');
}

export default defineConfig({
  testDir: __dirname,
  testMatch: '*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  workers: 1,
  outputDir: path.join(work, 'artifacts'),
  webServer: apps.map(({ variant, port }) => ({
    command: 'yarn workspace backend start --config ../../app-config.yaml',
    cwd: appDir(variant),
    env: {
      INGESTION_KEYS_ENCRYPTION_KEY: encryptionKey,
      APP_CONFIG_app_baseUrl: `http://localhost:${port}`,
      APP_CONFIG_backend_baseUrl: `http://localhost:${port}`,
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_cors_origin: `http://localhost:${port}`,
    },
    url: `http://localhost:${port}/.backstage/health/v1/readiness`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  })),
  use: {
    viewport: { width: 1280, height: 1000 },
    permissions: ['clipboard-read', 'clipboard-write'],
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: apps.map(({ name, port }) => ({
    name,
    use: { baseURL: `http://localhost:${port}` },
  })),
});
