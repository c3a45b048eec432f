import { expect, test } from '@playwright/test';
import { guestToken, signInAsGuest } from './signIn';
import { screenshot } from './screenshots';
import { ports } from './ports';

const BASE_URL = `http://localhost:${ports.main}`;

test("revoking a key notifies the entity's owners, without its value", async ({
  page,
}) => {
  const headers = {
    Authorization: `Bearer ${await guestToken(BASE_URL)}`,
    'Content-Type': 'application/json',
  };
  const created = await fetch(`${BASE_URL}/api/ingestion-keys/v1/keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      entityRef: 'component:default/storefront-web',
      environment: 'staging',
      type: 'thirdParty',
      integration: 'e2e-notify',
    }),
  });
  expect(created.status).toBe(201);
  const { key, secret } = await created.json();

  await signInAsGuest(page);
  await page.goto('/catalog/default/component/storefront-web/ingestion-keys');
  const row = page
    .getByRole('region', { name: 'Keys', exact: true })
    .getByRole('row')
    .filter({ hasText: key.name });
  await row.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Revoke' }).click();
  const revoke = page.getByRole('dialog', { name: `Revoke ${key.name}?` });
  await revoke.getByLabel('Key name').fill(key.name);
  await revoke.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByText(`Revoked ${key.name}`)).toBeVisible();

  // alice is a member of team-checkout, the owner of storefront-web.
  await page.goto('/notifications');
  const title = `Ingestion key ${key.name} was revoked`;
  await expect(page.getByText(title)).toBeVisible();
  await expect(
    page.getByText(`user:default/alice revoked the ingestion key ${key.name}`),
  ).toBeVisible();
  await screenshot(page, 'notifications');

  const listed = await (
    await fetch(
      `${BASE_URL}/api/notifications/notifications?search=${key.name}`,
      {
        headers,
      },
    )
  ).json();
  const [notification] = listed.notifications.filter(
    (n: { payload: { title: string } }) => n.payload.title === title,
  );
  expect(notification.payload.link).toBe(
    '/catalog/default/component/storefront-web/ingestion-keys',
  );
  expect(JSON.stringify(listed)).not.toContain(secret);
});
