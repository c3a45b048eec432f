import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

/**
 * Runs axe-core on what is on screen now (the page and any open dialog) and fails on every
 * serious or critical violation, naming the rule and the elements, so a failure says what to fix.
 */
export async function expectNoSeriousA11yViolations(page: Page, what: string) {
  // A dialog fading in is half transparent: its colours are judged once it has settled.
  await page.waitForFunction(() =>
    document.getAnimations().every(a => a.playState !== 'running'),
  );
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
    }));
  expect(serious, `accessibility violations on ${what}`).toEqual([]);
}
