import { ports } from './ports';
import { guestToken } from './signIn';

/** Entities every test relies on; the catalog ingests them shortly after the backend starts. */
const REQUIRED_ENTITIES = [
  'component/default/checkout-api',
  'component/default/search-api',
  'component/default/inventory-service',
  'component/default/payments-worker',
  'user/default/alice',
  'template/default/groundcover-setup',
  'component/default/payments-gateway',
];

/** Entities whose declared keys the tests look at: one alice owns, one she does not. */
const PROVISIONED_FOR = [
  'component:default/checkout-api',
  'component:default/inventory-service',
  'component:default/payments-gateway',
];

/** Polls until `check` holds, so no test races the catalog or the first provisioning run. */
async function until(
  what: string,
  deadline: number,
  check: () => Promise<boolean>,
) {
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

export default async function globalSetup() {
  const deadline = Date.now() + 120_000;
  for (const port of [ports.main, ports.admin]) {
    const baseURL = `http://localhost:${port}`;
    const headers = { Authorization: `Bearer ${await guestToken(baseURL)}` };
    for (const ref of REQUIRED_ENTITIES) {
      await until(
        `the catalog to ingest ${ref} on :${port}`,
        deadline,
        async () =>
          (
            await fetch(`${baseURL}/api/catalog/entities/by-name/${ref}`, {
              headers,
            })
          ).ok,
      );
    }
    for (const ref of PROVISIONED_FOR) {
      await until(
        `every declared key of ${ref} to be provisioned on :${port}`,
        deadline,
        async () => {
          const res = await fetch(
            `${baseURL}/api/ingestion-keys/v1/provisioning/status?entityRef=${ref}`,
            { headers },
          );
          if (!res.ok) return false;
          const { entries } = await res.json();
          return (
            entries.length > 0 &&
            entries.every(
              (entry: { state: string }) => entry.state === 'provisioned',
            )
          );
        },
      );
    }
  }
}
