import { expect, test } from '@playwright/test';
import { guestToken, signInAsGuest } from './signIn';
import { screenshot } from './screenshots';
import { ports } from './ports';

const BASE_URL = `http://localhost:${ports.main}`;
const KEY_NAMES = [
  'storefront-web-production-thirdparty-e2e-template',
  'storefront-web-staging-thirdparty-e2e-template',
];

test('alice runs "Set up groundcover for a service" and finds the keys on the tab; the task never holds their values', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/create');
  const card = page
    .getByRole('article')
    .filter({ hasText: 'Set up groundcover for a service' });
  await card.getByRole('button', { name: 'Choose' }).click();

  // Only the entities alice's team owns are offered.
  await page.getByLabel('Service').click();
  await page.getByRole('option', { name: /storefront-web/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('checkbox', { name: 'production' }).check();
  await page.getByRole('checkbox', { name: 'staging' }).check();
  await page.getByLabel('Integration').fill('e2e-template');
  await page.getByRole('button', { name: 'Review' }).click();
  await screenshot(page, 'scaffolder-review');
  await page.getByRole('button', { name: 'Create' }).click();

  const open = page.getByRole('link', { name: 'Open the Ingestion Keys tab' });
  await expect(open).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(KEY_NAMES.join(', '))).toBeVisible();
  await screenshot(page, 'scaffolder-task');
  const taskId = page.url().split('/tasks/')[1];

  // An absolute link, which the task page opens in a new window: follow it in this one.
  await expect(open).toHaveAttribute(
    'href',
    `${BASE_URL}/catalog/default/component/storefront-web/ingestion-keys`,
  );
  await page.goto((await open.getAttribute('href'))!);
  const keys = page.getByRole('region', { name: 'Keys', exact: true });
  for (const name of KEY_NAMES) {
    await expect(keys.getByText(name, { exact: true })).toBeVisible();
  }

  // The keys' values exist (their owner reveals them), and the task's log and output do not
  // hold them.
  const headers = { Authorization: `Bearer ${await guestToken(BASE_URL)}` };
  const listed = await (
    await fetch(
      `${BASE_URL}/api/ingestion-keys/v1/keys?entityRef=component:default/storefront-web`,
      { headers },
    )
  ).json();
  const created = listed.items.filter((k: { name: string }) =>
    KEY_NAMES.includes(k.name),
  );
  expect(created).toHaveLength(2);
  const events = await (
    await fetch(`${BASE_URL}/api/scaffolder/v2/tasks/${taskId}/events`, {
      headers,
    })
  ).text();
  expect(events).toContain(`Created ingestion key ${KEY_NAMES[0]}`);
  for (const key of created) {
    const revealed = await fetch(
      `${BASE_URL}/api/ingestion-keys/v1/keys/${key.id}/reveal`,
      { method: 'POST', headers },
    );
    expect(revealed.status).toBe(200);
    const { secret } = await revealed.json();
    expect(secret).toMatch(/^ikbs_/);
    expect(events).not.toContain(secret);
  }
});
