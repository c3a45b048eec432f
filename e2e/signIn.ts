import { expect, Page } from '@playwright/test';

/** Signs in with the guest provider, which the demo resolves to alice of team-checkout. */
export async function signInAsGuest(page: Page, baseURL = '') {
  await page.goto(`${baseURL}/`);
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(page.getByText('Acme Catalog')).toBeVisible();
}

/** A token for the guest (alice), for the tests' own API calls. */
export async function guestToken(baseURL: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in failed: HTTP ${res.status}`);
  }
  const body = await res.json();
  return body.backstageIdentity.token;
}
