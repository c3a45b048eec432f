import fs from 'node:fs';
import { TestDatabases } from '@backstage/backend-test-utils';
import { startScaffolderTestBackend } from '../__testUtils__/scaffolderTestBackend';
import { declareIngestionKeysAction } from './declareIngestionKeysAction';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const CATALOG_INFO = `# The service, as the template writes it.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: new-service
  annotations:
    ingestion-keys/provision: production:sensor
spec:
  type: service
  owner: group:default/team-checkout # kept
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: new-service-api
spec:
  type: openapi
`;

describe.each(databases.eachSupportedId())(
  'ingestion-keys:declare on %s',
  databaseId => {
    let running: Awaited<ReturnType<typeof startScaffolderTestBackend>>;
    let action: ReturnType<typeof declareIngestionKeysAction>;
    const file = () => running.workspace.resolve('catalog-info.yaml');

    beforeEach(async () => {
      running = await startScaffolderTestBackend(
        await databases.init(databaseId),
      );
      action = declareIngestionKeysAction({ client: running.client });
      running.workspace.setContent({ 'catalog-info.yaml': CATALOG_INFO });
    });

    afterEach(() => running.backend.stop());

    it('adds new entries after those declared, keeping the rest of the file', async () => {
      const outputs = await running.runAction(action, {
        entries: [
          'production:sensor',
          'staging:thirdParty:otel-collector',
          'staging:rum',
        ],
      });
      expect(outputs).toEqual({
        annotation:
          'production:sensor, staging:thirdParty:otel-collector, staging:rum',
        added: ['staging:thirdParty:otel-collector', 'staging:rum'],
      });
      const written = fs.readFileSync(file(), 'utf8');
      expect(written).toBe(
        CATALOG_INFO.replace(
          'ingestion-keys/provision: production:sensor',
          'ingestion-keys/provision: production:sensor, staging:thirdParty:otel-collector, staging:rum',
        ),
      );
    });

    it('picks the named entity and creates the annotation where there is none', async () => {
      await running.runAction(action, {
        entries: ['production:thirdParty:fluent-bit'],
        entityName: 'new-service-api',
      });
      expect(fs.readFileSync(file(), 'utf8')).toContain(
        [
          'metadata:',
          '  name: new-service-api',
          '  annotations:',
          '    ingestion-keys/provision: production:thirdParty:fluent-bit',
        ].join('\n'),
      );
    });

    it('refuses entries the plugin would report as invalid, and writes nothing', async () => {
      await expect(
        running.runAction(action, { entries: ['qa:sensor', 'production:x'] }),
      ).rejects.toThrow(
        'Invalid entries: qa:sensor (unknown environment "qa"; configured: production, staging); production:x (unknown type "x"; use sensor, rum, thirdParty)',
      );
      expect(fs.readFileSync(file(), 'utf8')).toBe(CATALOG_INFO);
    });

    it('changes nothing on a dry run', async () => {
      const outputs = await running.runAction(
        action,
        { entries: ['staging:rum'] },
        'alice',
        { isDryRun: true },
      );
      expect(outputs.added).toEqual(['staging:rum']);
      expect(fs.readFileSync(file(), 'utf8')).toBe(CATALOG_INFO);
    });

    it('refuses a path outside the workspace', async () => {
      await expect(
        running.runAction(action, {
          entries: ['staging:rum'],
          filePath: '../catalog-info.yaml',
        }),
      ).rejects.toThrow(
        'Relative path is not allowed to refer to a directory outside its parent',
      );
    });
  },
);
