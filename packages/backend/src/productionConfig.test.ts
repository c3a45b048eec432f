import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import { resolve } from 'path';

const REPO_ROOT = resolve(__dirname, '../../..');

/** The config a backend started with these files reads, with no environment variable set. */
async function configOf(...files: string[]) {
  const { appConfigs } = await loadConfig({
    configRoot: REPO_ROOT,
    configTargets: files.map(file => ({ path: resolve(REPO_ROOT, file) })),
    experimentalEnvFunc: async () => undefined,
  });
  return ConfigReader.fromConfigs(appConfigs);
}

/** The key the guest provider checks before it signs anyone in outside development. */
const GUEST_OUTSIDE_DEVELOPMENT =
  'auth.providers.guest.dangerouslyAllowOutsideDevelopment';
const ENCRYPTION_KEY = 'ingestionKeys.embedded.encryptionKey';

/**
 * Production is started with the demo's config and the production overlay on top: whatever the
 * operator forgets to set must not fall back on the demo's sign-in or the demo's secrets.
 */
describe('app-config.yaml with app-config.production.yaml', () => {
  it('lets nobody sign in as the guest outside development', async () => {
    const demo = await configOf('app-config.yaml');
    // The demo signs everyone in as alice; the overlay must undo exactly that setting.
    expect(demo.getOptionalBoolean(GUEST_OUTSIDE_DEVELOPMENT)).toBe(true);
    const production = await configOf(
      'app-config.yaml',
      'app-config.production.yaml',
    );
    expect(production.getOptionalBoolean(GUEST_OUTSIDE_DEVELOPMENT)).toBe(
      false,
    );
  });

  it("holds none of the demo's secrets when the environment sets none", async () => {
    const demoKey = (await configOf('app-config.yaml')).getString(
      ENCRYPTION_KEY,
    );
    const production = await configOf(
      'app-config.yaml',
      'app-config.production.yaml',
    );
    expect(JSON.stringify(production.get())).not.toContain(demoKey);
  });
});
