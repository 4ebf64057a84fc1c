import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export type Theme = 'light' | 'dark';

/** Waits until no Blueprint overlay is mid-transition: a half-faded dialog would fail contrast for no reason. */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('[class*="-enter-active"], [class*="-exit-active"]')).toHaveCount(0);
}

/** Switches the page's colour scheme the way the desktop does, and waits for the console to follow it. */
export async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  const body = expect(page.locator('body'));
  await (theme === 'dark' ? body.toHaveClass(/\bbp6-dark\b/) : body.not.toHaveClass(/\bbp6-dark\b/));
}

/**
 * Serious or critical WCAG 2 A/AA violations on the page as it stands, as `rule: target, target`
 * lines so that a failure says what to fix and where.
 */
export async function seriousViolations(page: Page, opts: { include?: string; exclude?: string[]; wcagOnly?: boolean; rules?: string[] } = {}): Promise<string[]> {
  await settled(page);
  let builder = new AxeBuilder({ page });
  // Named rules run alone (a WCAG 2.1 rule such as label-content-name-mismatch is outside the 2.0 tags).
  if (opts.rules) builder = builder.withRules(opts.rules);
  else if (opts.wcagOnly !== false) builder = builder.withTags(['wcag2a', 'wcag2aa']);
  if (opts.include) builder = builder.include(opts.include);
  for (const selector of opts.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The same check in the light and the dark theme; leaves the page in the light one. */
export async function violationsInBothThemes(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await useTheme(page, theme);
    for (const line of await seriousViolations(page)) found.push(`[${theme}] ${line}`);
  }
  await useTheme(page, 'light');
  return found;
}
