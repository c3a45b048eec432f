import { expect, Page } from '@playwright/test';

/** Signs in with the guest provider, which the demo resolves to alice of team-checkout. */
export async function signInAsGuest(page: Page, baseURL = '') {
  await page.goto(`${baseURL}/`);
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(page.getByText('Acme Catalog')).toBeVisible();
}
