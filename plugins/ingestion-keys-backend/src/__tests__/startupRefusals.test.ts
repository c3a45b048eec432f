import { TestDatabases } from '@backstage/backend-test-utils';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** Why the backend refused to start, as the operator reads it. */
async function startupError(
  knex: Awaited<ReturnType<typeof databases.init>>,
  config: Record<string, unknown>,
): Promise<string> {
  let backend;
  try {
    backend = await startTestIngestionKeysBackend({ knex, config });
  } catch (error) {
    return String(error);
  }
  await backend.stop();
  throw new Error(
    `The backend started with ingestionKeys ${JSON.stringify(config)}`,
  );
}

/**
 * A misconfigured plugin refuses to start, and its error names the setting and what to put there,
 * rather than failing later on a request or starting with a guess.
 */
describe.each(databases.eachSupportedId())(
  'startup with a bad ingestionKeys config on %s',
  databaseId => {
    it.each([
      [
        'an unknown provider',
        { provider: 'groundcovr', managedBy: 'portal-a' },
        /ingestionKeys\.provider is "groundcovr", but no such key store was added; install its backend module \(available: embedded\)/,
      ],
      [
        'a provider whose module is not installed',
        { provider: 'groundcover', managedBy: 'portal-a' },
        /ingestionKeys\.provider is "groundcover", but no such key store was added; install its backend module \(available: embedded\)/,
      ],
      [
        'a shared key store without managedBy',
        { provider: 'groundcover' },
        /ingestionKeys\.managedBy must be set when ingestionKeys\.provider is "groundcover": give each portal that shares the key store its own value/,
      ],
      [
        'no encryption key for the embedded store',
        { embedded: {} },
        /ingestionKeys\.embedded\.encryptionKey must be 32 bytes, as 64 hex characters or base64 \(for example the output of `openssl rand -base64 32`\)/,
      ],
      [
        'an encryption key of the wrong length',
        { embedded: { encryptionKey: Buffer.alloc(16).toString('base64') } },
        /ingestionKeys\.embedded\.encryptionKey must be 32 bytes, as 64 hex characters or base64/,
      ],
      [
        'an environment with capitals',
        { environments: ['production', 'Staging'] },
        /ingestionKeys\.environments must list environments of lowercase letters, digits and hyphens, at most 63 characters; "Staging" is not one/,
      ],
      [
        'an environment with an underscore',
        { environments: ['eu_west'] },
        /ingestionKeys\.environments .*lowercase letters, digits and hyphens.*; "eu_west" is not one/,
      ],
      [
        'an environment ending in a hyphen',
        { environments: ['prod-'] },
        /ingestionKeys\.environments .*"prod-" is not one/,
      ],
      [
        'an environment longer than a key name may be',
        { environments: ['e'.repeat(64)] },
        new RegExp(
          `ingestionKeys\\.environments .*at most 63 characters; "${'e'.repeat(
            64,
          )}" is not one`,
        ),
      ],
      [
        'no environment at all',
        { environments: [] },
        /ingestionKeys\.environments must list at least one environment/,
      ],
      [
        'a naming pattern with an unknown token',
        { naming: { pattern: '{name}-{team}-{type}' } },
        /ingestionKeys\.naming\.pattern: unknown token \{team\}; use \{namespace\}, \{kind\}, \{name\}, \{environment\}, \{type\}, \{integration\}/,
      ],
      [
        'a naming pattern without {name}',
        { naming: { pattern: '{environment}-{type}' } },
        /ingestionKeys\.naming\.pattern: the pattern must contain \{name\}/,
      ],
      [
        'a naming pattern with characters a key name cannot hold',
        { naming: { pattern: 'BS_{name}-{type}' } },
        /ingestionKeys\.naming\.pattern: text outside tokens may only use lowercase letters, digits and hyphens/,
      ],
      [
        'a service access rule for a subject that is no service',
        {
          serviceAccess: [{ subject: 'plugin: scaffolder', allow: ['create'] }],
        },
        /ingestionKeys\.serviceAccess\[0\]\.subject: "plugin: scaffolder" is not a service subject; write plugin:<plugin id> for another plugin, or the subject of a token \(static: as configured; JWKS: external:<sub>\)/,
      ],
      [
        'a service access rule with an unknown operation',
        {
          serviceAccess: [
            { subject: 'plugin:scaffolder', allow: ['create', 'read'] },
          ],
        },
        /ingestionKeys\.serviceAccess\[0\]\.allow: "read" is not an operation; use create, reveal, rotate, revoke, admin \(services may always read key metadata\)/,
      ],
      [
        'two service access rules for one subject',
        {
          serviceAccess: [
            { subject: 'plugin:scaffolder', allow: ['create'] },
            { subject: 'plugin:scaffolder', allow: ['reveal'] },
          ],
        },
        /ingestionKeys\.serviceAccess\[1\]\.subject: plugin:scaffolder is listed twice; give each service subject one entry/,
      ],
      [
        'a service access rule without allow',
        { serviceAccess: [{ subject: 'plugin:scaffolder' }] },
        /Missing required config value at 'ingestionKeys\.serviceAccess\[0\]\.allow'/,
      ],
    ])('refuses %s, naming the setting', async (_case, config, message) => {
      const knex = await databases.init(databaseId);
      expect(await startupError(knex, config)).toMatch(message);
    });
  },
);
