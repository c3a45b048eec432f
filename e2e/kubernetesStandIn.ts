import { mkdirSync, writeFileSync } from 'fs';
import { dirname } from 'path';
import {
  KubernetesSecretsApiServer,
  TEST_CA_CERTIFICATE,
} from '@ingestion-keys/plugin-ingestion-keys-backend-module-kubernetes/testUtils';
import { kubernetesStandIn } from './ports';

/**
 * The Kubernetes Secrets API stand-ins the demo backends deliver to during the end-to-end suite,
 * one per backend so that the two portals never write each other's Secrets. Runs until killed.
 */
async function main() {
  // The backends' config reads the CA from this file (`$file`); they start after this server.
  mkdirSync(dirname(kubernetesStandIn.caFile), { recursive: true });
  writeFileSync(kubernetesStandIn.caFile, TEST_CA_CERTIFICATE);
  for (const port of Object.values(kubernetesStandIn.ports)) {
    await KubernetesSecretsApiServer.start({
      port,
      token: kubernetesStandIn.token,
      namespaces: ['groundcover'],
    });
  }
  process.stdout.write('Kubernetes stand-ins are listening\n');
}

main().catch(error => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
