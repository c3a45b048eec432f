import { expect, test } from '@playwright/test';
import { adminBaseURL } from './ports';
import { screenshot } from './screenshots';
import { signInAsGuest } from './signIn';

test("a developer's Ingestion Keys page lists their teams' keys and provisioning problems", async ({
  page,
}) => {
  // A common laptop screen, for the README's screenshot of the page.
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'Ingestion Keys' }).click();
  const mine = page.getByRole('region', { name: "My teams' keys" });
  // alice's team's keys, provisioned from the catalog, and not the platform team's.
  await expect(
    mine.getByText('checkout-api-production-sensor', { exact: true }),
  ).toBeVisible();
  await expect(
    mine.getByText('storefront-web-production-rum', { exact: true }),
  ).toBeVisible();
  await expect(mine.getByText(/inventory-service/)).toHaveCount(0);
  await expect(
    mine.getByRole('row').filter({ hasText: 'checkout-api-production-sensor' }),
  ).toContainText('provisioned for Checkout Team');
  await expect(
    page.getByRole('region', { name: 'Provisioning problems' }),
  ).toBeVisible();
  await expect(page.getByText(/not allowed to see/)).toHaveCount(0);
  // The same filters as the organisation's list.
  await page.getByLabel('Filter by type').selectOption('RUM');
  await expect(
    mine.getByText('checkout-api-production-sensor', { exact: true }),
  ).toHaveCount(0);
  await expect(
    mine.getByText('storefront-web-production-rum', { exact: true }),
  ).toBeVisible();
  await page.getByLabel('Filter by type').selectOption('All types');
  await expect(
    mine.getByText('checkout-api-production-sensor', { exact: true }),
  ).toBeVisible();
  await screenshot(page, 'teams-page');
});

test('at 1280×720 the organisation’s table fits: every row’s actions are in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signInAsGuest(page, adminBaseURL);
  await page.goto(`${adminBaseURL}/ingestion-keys`);
  await page.getByRole('tab', { name: 'Whole organisation' }).click();
  const all = page.getByRole('region', { name: 'All ingestion keys' });
  await expect(
    all.getByText('inventory-service-production-sensor', { exact: true }),
  ).toBeVisible();
  // Nothing scrolls sideways, neither the window nor the table, and the last column's buttons
  // end inside the table's visible box.
  const scrollsSideways = await all.evaluate(region =>
    [document.scrollingElement!, ...region.querySelectorAll('*')].some(el => {
      const overflowX = getComputedStyle(el).overflowX;
      return (
        (el === document.scrollingElement ||
          overflowX === 'auto' ||
          overflowX === 'scroll') &&
        el.scrollWidth > el.clientWidth + 1
      );
    }),
  );
  expect(scrollsSideways).toBe(false);
  const region = (await all.boundingBox())!;
  const buttons = await all.getByRole('button', { name: 'More actions' }).all();
  expect(buttons.length).toBeGreaterThan(3);
  for (const button of buttons) {
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(region.x + region.width);
  }
  // A name cut short is whole on hover.
  const name = all.getByText(
    'inventory-service-production-thirdparty-fluent-bit',
    {
      exact: true,
    },
  );
  await name.hover();
  await expect(
    page.getByRole('tooltip', {
      name: 'inventory-service-production-thirdparty-fluent-bit',
    }),
  ).toBeVisible();
  await screenshot(page, 'org-page-1280');
});

test('the create dialog starts on a free identity and links to the key of a taken one', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/checkout-api/ingestion-keys');
  await page.getByRole('button', { name: 'Create key' }).click();
  const create = page.getByRole('dialog', { name: 'Create ingestion key' });
  const preview = create.getByRole('status', { name: 'Generated key name' });
  // Provisioning made the production sensor key: the dialog does not offer it again.
  await expect(preview).not.toHaveText('checkout-api-production-sensor');
  await expect(create.getByRole('alert')).toHaveCount(0);

  await create
    .getByLabel('Environment', { exact: true })
    .selectOption('production');
  await create.getByLabel('Type', { exact: true }).selectOption('Sensor');
  await expect(preview).toHaveText('checkout-api-production-sensor');
  await expect(create.getByRole('alert')).toContainText(
    'This key already exists',
  );
  await expect(
    create.getByRole('button', { name: 'Create', exact: true }),
  ).toBeDisabled();
  await create
    .getByRole('button', { name: 'Open checkout-api-production-sensor' })
    .click();
  await expect(
    page.getByRole('dialog', { name: 'checkout-api-production-sensor' }),
  ).toBeVisible();
});
