import { expect, Locator, Page } from '@playwright/test';

/**
 * Moves the focus with Tab (Shift+Tab when `backwards`) until it is on `target`, as a keyboard
 * user would: fails when the target is not reachable within `limit` presses.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  { backwards = false, limit = 250 } = {},
) {
  await expect(target).toBeVisible();
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate(el => el === document.activeElement)) {
      return;
    }
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}
