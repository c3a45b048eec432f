import { expect, Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './accessibility';
import { tabTo } from './keyboard';
import { screenshot } from './screenshots';
import { signInAsGuest } from './signIn';
import { pickTheme, ThemeId } from './theme';

const KEYS_TAB = '/catalog/default/component/checkout-api/ingestion-keys';
const SENSOR = 'checkout-api-production-sensor';

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];
const THEMES: ThemeId[] = ['light', 'dark'];

async function keysRow(page: Page, name: string) {
  const keys = page.getByRole('region', { name: 'Keys', exact: true });
  const row = keys.getByRole('row').filter({
    has: page.getByText(name, { exact: true }),
  });
  await expect(row).toBeVisible();
  return row;
}

for (const theme of THEMES) {
  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`the page, the tab and the dialogs pass axe-core in the ${theme} theme at ${size}`, async ({
      page,
    }) => {
      test.setTimeout(120_000);
      await page.setViewportSize(viewport);
      await signInAsGuest(page);
      await pickTheme(page, theme);

      await page.goto('/ingestion-keys');
      await expect(
        page
          .getByRole('region', { name: "My teams' keys" })
          .getByText(SENSOR, { exact: true }),
      ).toBeVisible();
      await expectNoSeriousA11yViolations(page, "my teams' keys page");
      await screenshot(page, `teams-page-${theme}-${size}`);

      await page.goto(KEYS_TAB);
      const row = await keysRow(page, SENSOR);
      await expectNoSeriousA11yViolations(page, 'the entity tab');
      await screenshot(page, `entity-tab-${theme}-${size}`);

      await page.getByRole('button', { name: 'Create key' }).click();
      const create = page.getByRole('dialog', {
        name: 'Create ingestion key',
      });
      await expect(create).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'the create dialog');
      await screenshot(page, `create-dialog-${theme}-${size}`);
      await create.getByRole('button', { name: 'Cancel' }).click();
      await expect(create).toHaveCount(0);

      await row.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: 'Usage snippets' }).click();
      const details = page.getByRole('dialog', { name: SENSOR });
      await expect(details).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'the key dialog');
      await details.getByRole('button', { name: 'Close' }).click();

      await row.getByRole('button', { name: 'Rotate' }).click();
      const rotate = page.getByRole('dialog', { name: `Rotate ${SENSOR}?` });
      await expect(rotate).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'the rotate dialog');
      await rotate.getByRole('button', { name: 'Cancel' }).click();

      await row.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: 'Revoke' }).click();
      const revoke = page.getByRole('dialog', { name: `Revoke ${SENSOR}?` });
      await expect(revoke).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'the revoke dialog');
      await revoke.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
    });
  }
}

test('an owner creates, reveals, copies, rotates and revokes a key with the keyboard only', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAsGuest(page);
  await page.goto(KEYS_TAB);
  await keysRow(page, SENSOR);

  await tabTo(page, page.getByRole('button', { name: 'Create key' }));
  await page.keyboard.press('Enter');
  const create = page.getByRole('dialog', { name: 'Create ingestion key' });
  await tabTo(page, create.getByLabel('Integration', { exact: true }));
  await page.keyboard.type('e2e-keyboard');
  const name = await create
    .getByRole('status', { name: 'Generated key name' })
    .innerText();
  expect(name).toMatch(/^checkout-api-.*-e2e-keyboard$/);
  await page.keyboard.press('Enter');

  const created = page.getByRole('dialog', { name: 'Key created' });
  const value = created.getByLabel('Key value');
  await expect(value).toHaveValue(/^ikbs_/);
  const secret = await value.inputValue();
  await tabTo(page, created.getByRole('button', { name: 'Copy key' }));
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(secret);
  await tabTo(page, created.getByRole('button', { name: 'Done' }));
  await page.keyboard.press('Enter');
  await expect(created).toHaveCount(0);

  const row = await keysRow(page, name);
  await tabTo(page, row.getByRole('button', { name: 'Reveal' }));
  await page.keyboard.press('Enter');
  const details = page.getByRole('dialog', { name });
  await expect(details.getByLabel('Key value')).toHaveValue(secret);
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);

  await tabTo(page, row.getByRole('button', { name: 'Rotate' }));
  await page.keyboard.press('Enter');
  const rotate = page.getByRole('dialog', { name: `Rotate ${name}?` });
  await tabTo(page, rotate.getByRole('button', { name: 'Rotate key' }));
  await page.keyboard.press('Enter');
  const rotated = page.getByRole('dialog', { name: 'Key rotated' });
  await expect(rotated.getByText(`${name}-r2`).first()).toBeVisible();
  await tabTo(page, rotated.getByRole('button', { name: 'Revoke old key' }));
  await page.keyboard.press('Enter');

  const revoke = page.getByRole('dialog', { name: `Revoke ${name}?` });
  await tabTo(page, revoke.getByLabel('Key name'));
  await page.keyboard.type(name);
  await tabTo(page, revoke.getByRole('button', { name: 'Revoke key' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByText(`Revoked ${name}`)).toBeVisible();
  await keysRow(page, `${name}-r2`);
});
