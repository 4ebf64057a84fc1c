import type { Page } from '@playwright/test';
import { seriousViolations as axeSerious } from './support/axe';
import { expect, test } from './support/fixtures';
import { pinnedRequest } from './support/service-api';
import { freshCode } from './support/totp';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

/**
 * Serious or critical accessibility violations on the page as it stands (none expected). The header's
 * user button (AppHeader, not this work) is left to its owners: its label does not contain its text.
 */
const seriousViolations = (page: Page): Promise<string[]> => axeSerious(page, { exclude: ['.attest-user-button'], wcagOnly: false });

/** Signs a demo person in through the API, as their own laptop would: the session the admin will cut off. */
async function signInThroughApi(url: string, fingerprint: string, person: { email: string; password: string; totpSecret: string }): Promise<string> {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const { status, text } = await pinnedRequest(url, path, fingerprint, { method: 'POST', token: null, body, userAgent: IPHONE });
    expect(status, text).toBe(200);
    return JSON.parse(text) as T;
  };
  const login = await post<{ challengeId: string }>('/v1/auth/login', { email: person.email, password: person.password });
  return (await post<{ accessToken: string }>('/v1/auth/mfa', { challengeId: login.challengeId, code: await freshCode(person.totpSecret) })).accessToken;
}

test('the security officer finds a person by name, opens their page and cuts off their access in one step; their next call is 401', async ({
  page,
  service,
  openConsole,
  signIn,
}) => {
  test.setTimeout(150_000);
  const { url, fingerprint } = service.info;
  const rita = service.person('rita@stark.example');
  const ritaToken = await signInThroughApi(url, fingerprint, rita);
  expect((await pinnedRequest(url, '/v1/me', fingerprint, { method: 'GET', token: ritaToken })).status).toBe(200);

  await openConsole();
  await signIn(page);

  // Search: Ctrl+K, her name, Enter opens her page (keyboard only).
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('Rita');
  await expect(page.getByTestId('palette-item').filter({ hasText: 'Rita Alvarez' }).first()).toBeVisible();
  await page.keyboard.press('Enter');

  const person = page.getByTestId('person-page');
  await expect(page.getByTestId('person-name')).toHaveText('Rita Alvarez');
  await expect(person.getByTestId('person-membership')).toHaveCount(1);
  await expect(person.getByTestId('person-membership')).toContainText('Stark Logistics');
  await expect(person.getByTestId('person-session').filter({ hasText: /Safari 17 on iOS/ })).toHaveCount(1);
  await expect(person.getByTestId('person-recovery-codes')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/person-page.png', fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/person-page-dark.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // Interaction 2: Cut off. The dialog shows exactly what will happen: the whole account, as platform staff.
  await person.getByTestId('person-cut-off').click();
  const dialog = page.getByTestId('cut-off-dialog');
  await expect(dialog.getByTestId('cut-off-plan-item')).toHaveCount(4);
  await expect(dialog.getByTestId('cut-off-plan-item').filter({ hasText: 'Lock the whole account' })).toHaveAttribute('data-plan', 'run');
  await page.screenshot({ path: 'test-results/screenshots/cut-off-plan.png' });
  expect(await seriousViolations(page)).toEqual([]);

  // Interaction 3: confirm; then the step-up code.
  await dialog.getByTestId('cut-off-confirm').click();
  const stepUp = page.getByTestId('step-up-dialog');
  await expect(stepUp).toBeVisible();
  await page.getByTestId('step-up-code').fill(await freshCode(service.officer.totpSecret));
  await page.getByTestId('step-up-code').press('Enter');

  const results = page.getByTestId('cut-off-result');
  await expect(results).toHaveCount(4);
  const outcomes = await results.evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-kind')}:${r.getAttribute('data-outcome')}`));
  // She created no API tokens: that item was already so.
  expect(outcomes).toEqual(['account.lock:ok', 'sessions.end:ok', 'api_tokens.revoke:already', 'mfa.reset:ok']);
  await expect(page.getByTestId('cut-off-summary')).toHaveText('3 done, 1 already so.');
  await page.screenshot({ path: 'test-results/screenshots/cut-off-results.png' });

  // Her session is dead: the next API call is refused.
  expect((await pinnedRequest(url, '/v1/me', fingerprint, { method: 'GET', token: ritaToken })).status).toBe(401);
  await page.getByTestId('cut-off-close').click();
  await expect(page.getByTestId('person-account-status')).toHaveText('Account locked');
  await expect(person.getByTestId('person-no-sessions')).toBeVisible();
});

test('the command palette reaches a view and a tenant by keyboard alone', async ({ page, openConsole, signIn }) => {
  await openConsole();
  await signIn(page);
  await page.keyboard.press('Control+k');
  await page.keyboard.type('Sess');
  await expect(page.getByTestId('palette-item').first()).toHaveText(/Go to Sessions/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('view-sessions')).toBeVisible();

  await page.keyboard.press('Control+k');
  await page.keyboard.type('Stark');
  // Rita's address (stark.example) matches too: her page and her cut-off come first, then the tenant.
  const items = page.getByTestId('palette-item');
  await expect(items).toHaveCount(3);
  await expect(items.nth(2)).toHaveAttribute('data-kind', 'tenant');
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('view-tenants')).toBeVisible();
  await expect(page.getByTestId('tenant-counts')).toHaveAttribute('aria-label', 'Counts for Stark Logistics');
});
