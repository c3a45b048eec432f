import { FullConfig } from '@playwright/test';

/** Entities every test relies on; the catalog ingests them shortly after the backend starts. */
const REQUIRED_ENTITIES = [
  'component/default/checkout-api',
  'component/default/search-api',
  'user/default/alice',
];

async function guestToken(baseURL: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in failed: HTTP ${res.status}`);
  }
  const body = await res.json();
  return body.backstageIdentity.token;
}

/** Waits until the example catalog has been ingested, so tests never race the catalog. */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0].use.baseURL!;
  const token = await guestToken(baseURL);
  const deadline = Date.now() + 90_000;
  for (const ref of REQUIRED_ENTITIES) {
    for (;;) {
      const res = await fetch(
        `${baseURL}/api/catalog/entities/by-name/${ref}`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      );
      if (res.ok) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `the catalog never ingested ${ref} (HTTP ${res.status})`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
}
