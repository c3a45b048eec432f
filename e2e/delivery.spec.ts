import { request as httpsRequest } from 'https';
import { readFileSync } from 'fs';
import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';
import { screenshot } from './screenshots';
import { expectNoSeriousA11yViolations } from './accessibility';
import { kubernetesStandIn } from './ports';

const TAB = '/catalog/default/component/payments-gateway/ingestion-keys';
const KEY = 'payments-gateway-production-sensor';

/**
 * A Secret's data as the cluster has it, read through the Kubernetes API of the stand-in the
 * main backend delivers to, as `kubectl get secret` would.
 */
function secretData(name: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `https://127.0.0.1:${kubernetesStandIn.ports.main}/api/v1/namespaces/groundcover/secrets/${name}`,
      {
        ca: readFileSync(kubernetesStandIn.caFile, 'utf8'),
        headers: { Authorization: `Bearer ${kubernetesStandIn.token}` },
      },
      res => {
        let body = '';
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`GET secret ${name}: HTTP ${res.statusCode}`));
            return;
          }
          const data: Record<string, string> = JSON.parse(body).data;
          resolve(
            Object.fromEntries(
              Object.entries(data).map(([k, v]) => [
                k,
                Buffer.from(v, 'base64').toString(),
              ]),
            ),
          );
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('a declared key is delivered to its Secret, and an owner adds another target from the tab', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto(TAB);
  const keys = page.getByRole('region', { name: 'Keys', exact: true });
  const row = keys.getByRole('row').filter({ hasText: KEY });
  await expect(row).toBeVisible();

  // The annotation's target got the key: the chip counts it and opens the delivery dialog.
  await row.getByRole('button', { name: /^1 of 1/ }).click();
  const dialog = page.getByRole('dialog', { name: `Delivery of ${KEY}` });
  await expect(dialog).toBeVisible();
  await expect(
    dialog.getByText('kubernetes:demo/groundcover/api-key/API_KEY'),
  ).toBeVisible();
  await expect(
    dialog.getByText(
      /Secret groundcover\/api-key \(data key API_KEY\) in cluster demo/,
    ),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'the delivery dialog');

  // An owner adds a second Secret; it is written at once.
  const form = dialog.getByRole('form', { name: 'Add delivery target' });
  await form.getByLabel('Address').fill('demo/groundcover/otel-token/TOKEN');
  await form.getByRole('button', { name: 'Add target' }).click();
  await expect(
    dialog
      .getByRole('list', { name: 'Delivery targets' })
      .getByText(/Secret groundcover\/otel-token \(data key TOKEN\)/),
  ).toBeVisible();
  await screenshot(page, 'delivery-dialog');

  // A target the cluster cannot take is said in words, under the form.
  await form.getByLabel('Address').fill('demo/no-such-namespace');
  await form.getByRole('button', { name: 'Add target' }).click();
  await expect(dialog.getByText(/no-such-namespace/).last()).toBeVisible();

  // Both Secrets hold the key's value, the one its owners reveal.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await row.getByRole('button', { name: 'Reveal' }).click();
  const field = page.getByRole('dialog', { name: KEY }).getByLabel('Key value');
  // Masked until the server has answered the reveal.
  await expect(field).toHaveValue(/^ikbs_/);
  const value = await field.inputValue();
  expect(await secretData('api-key')).toEqual({ API_KEY: value });
  expect(await secretData('otel-token')).toEqual({ TOKEN: value });
});
