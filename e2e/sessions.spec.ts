import { newConsoleProfile, removeConsoleProfile, startConsole } from './support/processes';
import { expect, signInAs, test } from './support/fixtures';
import { freshCode } from './support/totp';

test('an admin revokes a session of another device after step-up, and that device is signed out at its next call', async ({
  page,
  context,
  service,
  openConsole,
  signIn,
}) => {
  test.setTimeout(150_000);
  // The officer (owner of Northwind Health) on a second console: the session to revoke.
  const profile = newConsoleProfile();
  const other = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile });
  try {
    const otherPage = await context.newPage();
    await otherPage.goto(other.info.url);
    await signInAs(otherPage, service.officer);

    await openConsole();
    await signIn(page);
    await page.getByTestId('nav-sessions').click();
    await page.getByTestId('sessions-tenant').selectOption({ label: 'Northwind Health' });
    const rows = page.getByTestId('sessions-table').getByRole('row', { name: /Sam Okafor/ });
    const mine = rows.filter({ has: page.getByTestId('session-current') });
    await expect(mine).toHaveCount(1);
    // Earlier specs on this worker's service may have left sessions of the officer: count from here.
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const before = await rows.count();
    await page.screenshot({ path: 'test-results/screenshots/sessions.png' });

    // The table lists the current session first, then the newest sign-in: the other console's is next.
    const theirs = rows.nth(1);
    await theirs.getByTestId('session-revoke').click();
    await expect(page.getByTestId('revoke-confirm')).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/sessions-revoke-confirm.png' });
    await page.getByRole('button', { name: 'Revoke session' }).click();

    const stepUp = page.getByTestId('step-up-dialog');
    await expect(stepUp).toBeVisible();
    await page.getByTestId('step-up-code').fill(await freshCode(service.officer.totpSecret));
    await page.getByTestId('step-up-code').press('Enter');
    await expect(stepUp).toHaveCount(0);
    await expect(page.getByTestId('sessions-revoked')).toHaveText('1 session revoked.');
    await expect(rows).toHaveCount(before - 1);
    await expect(mine).toHaveCount(1);

    // The revoked console's next call is refused and it shows the sign-in screen.
    // It may already have noticed (the sign-in screen replaces the shell); otherwise this click is its next call.
    await otherPage.getByTestId('nav-users').click({ timeout: 10_000 }).catch(() => undefined);
    await expect(otherPage.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'signed_out');
    await otherPage.screenshot({ path: 'test-results/screenshots/sessions-revoked-device.png' });
  } finally {
    await other.stop();
    removeConsoleProfile(profile);
  }
});
