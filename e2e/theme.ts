import { expect, Page } from '@playwright/test';

export type ThemeId = 'light' | 'dark';

/** Picks the theme with the demo app's sidebar switch, as a user would. */
export async function pickTheme(page: Page, theme: ThemeId) {
  const toDark = page.getByRole('button', { name: 'Dark theme' });
  const toLight = page.getByRole('button', { name: 'Light theme' });
  await expect(toDark.or(toLight)).toBeVisible();
  if (theme === 'dark' && (await toDark.isVisible())) {
    await toDark.click();
  } else if (theme === 'light' && (await toLight.isVisible())) {
    await toLight.click();
  }
  await expect(theme === 'dark' ? toLight : toDark).toBeVisible();
}
