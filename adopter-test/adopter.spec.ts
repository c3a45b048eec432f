import { expect, Page, test } from '@playwright/test';
import path from 'path';
import { screenshotDir } from '../e2e/screenshots';

/** A component of the stock app's example catalog (owned by its `guests` group). */
const ENTITY_TAB = '/catalog/default/component/example-website/ingestion-keys';

/** The viewport only: a full-page shot draws the stock app's fixed sidebar mid-page. */
async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  // The new system's stock app asks; the legacy one signs the guest in by itself.
  const signedIn = page.getByRole('link', { name: 'Settings', exact: true });
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter.or(signedIn).first()).toBeVisible();
  if (await enter.isVisible()) await enter.click();
  await expect(signedIn).toBeVisible();
});

test('the Ingestion Keys tab of a stock app creates and reveals a key', async ({
  page,
}, testInfo) => {
  await page.goto(ENTITY_TAB);
  // The new system's entity page lists its content as links, the legacy one as tabs.
  const contentLinks = page.getByRole('navigation', {
    name: 'Content navigation',
  });
  await expect(
    contentLinks
      .getByRole('link', { name: 'Ingestion Keys' })
      .or(page.getByRole('tab', { name: 'Ingestion Keys', selected: true })),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Create key' }).click();
  const create = page.getByRole('dialog', { name: 'Create ingestion key' });
  await create.getByLabel('Integration', { exact: true }).fill('adopter-check');
  const name = await create
    .getByRole('status', { name: 'Generated key name' })
    .innerText();
  expect(name).toMatch(/^example-website-.*-adopter-check$/);
  await create.getByRole('button', { name: 'Create', exact: true }).click();

  const created = page.getByRole('dialog', { name: 'Key created' });
  const secret = await created.getByLabel('Key value').inputValue();
  expect(secret).toMatch(/^ikbs_/);
  await created.getByRole('button', { name: 'Done' }).click();

  const keys = page.getByRole('region', { name: 'Keys', exact: true });
  const row = keys.getByRole('row').filter({ hasText: name });
  await row.getByRole('button', { name: 'Reveal' }).click();
  await expect(
    page.getByRole('dialog', { name }).getByLabel('Key value'),
  ).toHaveValue(secret);
  await page
    .getByRole('dialog', { name })
    .getByRole('button', { name: 'Close' })
    .click();
  await page
    .getByRole('heading', { name: 'example-website' })
    .first()
    .scrollIntoViewIfNeeded();
  await shot(page, `adopter-${testInfo.project.name}-entity-tab`);
});

test("the Ingestion Keys page of a stock app shows the teams' keys and the whole organisation", async ({
  page,
}, testInfo) => {
  await page.goto('/ingestion-keys');
  await expect(
    page.getByRole('region', { name: "My teams' keys" }),
  ).toBeVisible();
  // The stock app's allow-all policy makes every user an ingestion-keys admin.
  await page.getByRole('tab', { name: 'Whole organisation' }).click();
  await expect(
    page.getByRole('region', { name: 'All ingestion keys' }),
  ).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Provisioning' }),
  ).toBeVisible();
  await shot(page, `adopter-${testInfo.project.name}-org-page`);
});
