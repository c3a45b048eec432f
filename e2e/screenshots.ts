import path from 'path';
import { Page } from '@playwright/test';

/** Where the suite writes the screenshots it reports. */
export const screenshotDir = path.resolve(
  __dirname,
  '..',
  'e2e-results',
  'screenshots',
);

export async function screenshot(page: Page, name: string) {
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  // eslint-disable-next-line no-console
  console.log(`screenshot: ${path.relative(process.cwd(), file)}`);
  return file;
}
