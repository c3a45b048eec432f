import { expect, Page, test } from '@playwright/test';
import { signInAsGuest } from './signIn';
import { screenshot } from './screenshots';
import { adminBaseURL } from './ports';

const KEYS_TAB = '/catalog/default/component/checkout-api/ingestion-keys';

async function openKeysTab(page: Page, path: string) {
  await signInAsGuest(page);
  await page.goto(path);
  await expect(
    page.getByRole('region', { name: 'Keys', exact: true }),
  ).toBeVisible();
}

test('an owner creates, reveals, copies, rotates and revokes a key, and sees the history', async ({
  page,
}) => {
  await openKeysTab(page, KEYS_TAB);
  const keys = page.getByRole('region', { name: 'Keys', exact: true });
  // Keys the catalog annotation declares were provisioned.
  await expect(
    keys.getByText('checkout-api-production-sensor', { exact: true }),
  ).toBeVisible();
  const declared = page.getByRole('region', { name: 'Declared keys' });
  await expect(
    declared
      .getByRole('row')
      .filter({ hasText: 'production:thirdParty:otel-collector' }),
  ).toContainText('Provisioned');
  await screenshot(page, 'entity-tab');

  await page.getByRole('button', { name: 'Create key' }).click();
  const create = page.getByRole('dialog', { name: 'Create ingestion key' });
  await create
    .getByLabel('Environment', { exact: true })
    .selectOption('staging');
  await create
    .getByLabel('Type', { exact: true })
    .selectOption({ label: 'Third Party' });
  await create
    .getByLabel('Integration', { exact: true })
    .fill('e2e-fluent-bit');
  const name = 'checkout-api-staging-thirdparty-e2e-fluent-bit';
  await expect(
    create.getByRole('status', { name: 'Generated key name' }),
  ).toHaveText(name);
  await screenshot(page, 'create-dialog');
  await create.getByRole('button', { name: 'Create', exact: true }).click();

  const created = page.getByRole('dialog', { name: 'Key created' });
  await expect(created).toBeVisible();
  // The new key is shown once, in clear, with its snippets.
  const value = created.getByLabel('Key value');
  await expect(value).toHaveValue(/^ikbs_/);
  const secret = await value.inputValue();
  await created.getByRole('button', { name: 'Copy key' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    secret,
  );
  // The snippets carry the key once it is revealed.
  await expect(
    created.getByText(new RegExp(`Header\\s+apikey ${secret}`)).first(),
  ).toBeVisible();
  await screenshot(page, 'usage-snippets');
  await created.getByRole('button', { name: 'Done' }).click();

  const row = keys.getByRole('row').filter({ hasText: name });
  await row.getByRole('button', { name: 'Reveal' }).click();
  // Every reveal asks the server again; the value is shown until the dialog closes.
  const details = page.getByRole('dialog', { name });
  await expect(details.getByLabel('Key value')).toHaveValue(secret);
  await details.getByRole('button', { name: 'Close' }).click();

  await row.getByRole('button', { name: 'Rotate' }).click();
  await page
    .getByRole('dialog', { name: `Rotate ${name}?` })
    .getByRole('button', { name: 'Rotate key' })
    .click();
  const rotated = page.getByRole('dialog', { name: 'Key rotated' });
  await expect(rotated.getByText(`${name}-r2`).first()).toBeVisible();
  await rotated.getByRole('button', { name: 'Revoke old key' }).click();

  const revoke = page.getByRole('dialog', { name: `Revoke ${name}?` });
  await expect(revoke.getByText(/permanent/i).first()).toBeVisible();
  await expect(revoke.getByText(/PERMISSION_DENIED/).first()).toBeVisible();
  const confirm = revoke.getByRole('button', { name: 'Revoke key' });
  await expect(confirm).toBeDisabled();
  await revoke.getByLabel('Key name').fill(name);
  await confirm.click();
  // Revoking the old key finishes the rotation: every dialog closes.
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByText(`Revoked ${name}`)).toBeVisible();

  await expect(
    keys.getByRole('row').filter({ hasText: `${name}-r2` }),
  ).toBeVisible();
  await expect(
    keys.getByRole('row').filter({ hasText: new RegExp(`${name}(?!-r2)`) }),
  ).toHaveCount(0);
  const history = page.getByRole('region', { name: 'History' });
  for (const action of [/created/i, /revealed/i, /rotated/i, /revoked/i]) {
    await expect(history.getByText(action).first()).toBeVisible();
  }
  await screenshot(page, 'entity-tab-after-rotation');
});

test('on a service it does not own, the guest sees the keys but cannot reveal or revoke', async ({
  page,
}) => {
  await openKeysTab(
    page,
    '/catalog/default/component/inventory-service/ingestion-keys',
  );
  const keys = page.getByRole('region', { name: 'Keys', exact: true });
  const row = keys
    .getByRole('row')
    .filter({ hasText: 'inventory-service-production-sensor' });
  await expect(row).toBeVisible();
  await expect(row.getByRole('button', { name: 'Reveal' })).toBeDisabled();
  await expect(row.getByRole('button', { name: 'Rotate' })).toBeDisabled();
  await row.getByRole('button', { name: 'More actions' }).click();
  await expect(page.getByRole('menuitem', { name: 'Revoke' })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Create key' })).toBeDisabled();
});

test('the whole organisation is for admins', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/ingestion-keys');
  await expect(
    page.getByRole('region', { name: "My teams' keys" }),
  ).toBeVisible();
  await expect(
    page.getByRole('tab', { name: 'Whole organisation' }),
  ).toHaveCount(0);
});

test('an admin sees every key across the catalog', async ({ page }) => {
  await signInAsGuest(page, adminBaseURL);
  await page.goto(`${adminBaseURL}/ingestion-keys`);
  await page.getByRole('tab', { name: 'Whole organisation' }).click();
  const all = page.getByRole('region', { name: 'All ingestion keys' });
  await expect(
    all.getByText('inventory-service-production-sensor'),
  ).toBeVisible();
  await expect(
    all.getByText('checkout-api-production-sensor', { exact: true }),
  ).toBeVisible();
  // Admins may act on keys of entities they do not own.
  const row = all
    .getByRole('row')
    .filter({ hasText: 'inventory-service-production-sensor' });
  await expect(row.getByRole('button', { name: 'Reveal' })).toBeEnabled();
  const provisioning = page.getByRole('region', { name: 'Provisioning' });
  await expect(provisioning.getByText('Last run').first()).toBeVisible();
  await expect(
    provisioning.getByRole('region', { name: 'Undesired keys' }),
  ).toBeVisible();
  await screenshot(page, 'org-page');
});

test('an entity without the annotation explains how to declare keys', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/payments-worker/ingestion-keys');
  const declared = page.getByRole('region', { name: 'Declared keys' });
  await expect(
    declared.getByRole('figure', { name: 'Example annotation' }),
  ).toContainText('ingestion-keys/provision');
});
