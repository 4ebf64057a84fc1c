import { newConsoleProfile, removeConsoleProfile, startConsole } from './support/processes';
import { expect, signInAs, test } from './support/fixtures';
import { freshCode } from './support/totp';

test('an owner reviews a sign-in flagged after failed attempts: marked expected after step-up, and the list says so', async ({ page, context, service, openConsole, signIn }) => {
  test.setTimeout(150_000);
  // Noah (admin of Northwind Health) mistypes his password three times on a second console, then signs in: flagged.
  const profile = newConsoleProfile();
  const other = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile });
  try {
    const noah = service.person('noah@northwind.example');
    const otherPage = await context.newPage();
    await otherPage.goto(other.info.url);
    for (let i = 0; i < 3; i++) {
      await otherPage.getByTestId('sign-in-email').fill(noah.email);
      await otherPage.getByTestId('sign-in-password').fill(`not-${noah.password}`);
      await otherPage.getByTestId('sign-in-password').press('Enter');
      await expect(otherPage.getByTestId('sign-in-error')).toHaveAttribute('data-code', 'invalid_credentials');
      await otherPage.getByTestId('sign-in-password').fill('');
    }
    await signInAs(otherPage, noah);

    await openConsole();
    await signIn(page);
    await page.getByTestId('nav-sessions').click();
    await page.getByTestId('sessions-tenant').selectOption({ label: 'Northwind Health' });
    await page.getByTestId('sessions-flagged-filter').check({ force: true });
    const flagged = page.getByTestId('sessions-table').getByRole('row', { name: /Noah Berg/ }).filter({ hasText: 'After failures' });
    await expect(flagged.first()).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/sessions-flagged.png' });

    await flagged.first().getByTestId('session-flag-review').click();
    await expect(page.getByTestId('review-flags')).toBeVisible();
    await page.getByTestId('review-expected').check({ force: true });
    await page.getByTestId('review-note').fill('Noah confirmed by phone: he mistyped after a password change');
    await page.screenshot({ path: 'test-results/screenshots/sessions-flag-review.png' });
    await page.getByTestId('review-submit').click();

    const stepUp = page.getByTestId('step-up-dialog');
    await expect(stepUp).toBeVisible();
    await page.getByTestId('step-up-code').fill(await freshCode(service.officer.totpSecret));
    await page.getByTestId('step-up-code').press('Enter');
    await expect(stepUp).toHaveCount(0);
    await expect(page.getByTestId('sessions-revoked')).toHaveText('Sign-in of Noah Berg marked expected.');
    await expect(flagged.first().getByTestId('session-flag-reviewed')).toHaveAttribute('data-outcome', 'expected');
    await page.screenshot({ path: 'test-results/screenshots/sessions-flag-reviewed.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/screenshots/sessions-flag-reviewed-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    // The review's audit event links to the session: it opens Northwind's Sessions (the event's tenant), not the
    // tenant selected there meanwhile, with the filter cleared and the reviewed session selected.
    await page.getByTestId('sessions-tenant').selectOption({ label: 'Acme Analytics' });
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-log-select').selectOption({ label: 'Northwind Health' });
    // Exactly one event matches: it is shown (a filter matching one event once showed "No events").
    await page.getByTestId('audit-filters').getByLabel('Action starts with').fill('session.flags_reviewed');
    await page.getByTestId('audit-apply').click();
    const reviewEvent = page.getByTestId('audit-table').locator('tr[data-seq]');
    await expect(reviewEvent).toHaveCount(1);
    await reviewEvent.getByTestId('audit-target').click();
    await expect(page.getByTestId('sessions-tenant').locator('option:checked')).toHaveText('Northwind Health');
    await expect(page.getByTestId('sessions-flagged-filter')).not.toBeChecked();
    await expect(page.getByTestId('sessions-table').locator('tr[aria-selected="true"]')).toContainText('Noah Berg');
  } finally {
    await other.stop();
    removeConsoleProfile(profile);
  }
});
