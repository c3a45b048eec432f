import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';
import { screenshot } from './screenshots';

test('guest signs in as alice and opens a service page', async ({ page }) => {
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'checkout-api' }).click();
  await expect(
    page.getByRole('heading', { name: 'checkout-api' }),
  ).toBeVisible();
  await expect(
    page.getByText('Takes orders and charges customers'),
  ).toBeVisible();
  await screenshot(page, 'catalog-entity-page');
});

test('the signed-in user is alice, member of team-checkout', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/user/alice');
  await expect(page.getByText('Alice Andersen').first()).toBeVisible();
  // The group link first shows the entity ref, then the group's display name once the entity
  // presentation API has loaded it, so assert on where it points rather than on its text.
  await expect(
    page.locator('a[href$="/catalog/default/group/team-checkout"]').first(),
  ).toBeVisible();
});
