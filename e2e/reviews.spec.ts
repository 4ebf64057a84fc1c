import { newConsoleProfile, removeConsoleProfile, startConsole } from './support/processes';
import { expect, signInAs, test, withOwnServiceAndConsole } from './support/fixtures';
import { freshCode } from './support/totp';

// Its own demo service: Noah must still be Northwind's admin to decide Sam's membership (identity.spec
// moves him between editor and viewer on the shared one), and nobody decides their own.
test('an access review runs to completion: started, every membership decided with a comment by someone else, closed, changes applied', async ({ page, context }) => {
  test.setTimeout(180_000);
  await withOwnServiceAndConsole(page, async ({ service }) => {
    await page.getByTestId('nav-reviews').click();
    await page.getByTestId('reviews-tenant').selectOption({ label: 'Northwind Health' });
    await page.getByTestId('reviews-start').click();
    const dialog = page.getByTestId('review-start-dialog');
    await expect(dialog).toBeVisible();
    await page.getByTestId('review-title').fill('Northwind Q1 access review');
    // The due day is typed in ISO order whatever the desk's locale; a day that does not exist keeps Start off and says why.
    const due = page.getByTestId('review-due');
    await expect(due).toHaveAttribute('placeholder', 'YYYY-MM-DD');
    await due.fill('2027-02-30');
    await expect(dialog.locator('..')).toContainText('Due: there is no date 2027-02-30.');
    await expect(page.getByTestId('review-start-confirm')).toBeDisabled();
    const in60Days = new Date(Date.now() + 60 * 86_400_000);
    const dueDay = `${in60Days.getFullYear()}-${String(in60Days.getMonth() + 1).padStart(2, '0')}-${String(in60Days.getDate()).padStart(2, '0')}`;
    await due.fill(dueDay);
    await page.screenshot({ path: 'test-results/screenshots/reviews-start.png' });
    await page.getByTestId('review-start-confirm').click();
    await page.getByTestId('step-up-code').fill(await freshCode(service.officer.totpSecret));
    await page.getByTestId('step-up-code').press('Enter');
    await expect(dialog).toHaveCount(0);

    const campaign = page.getByTestId('reviews-campaign').filter({ hasText: 'Northwind Q1 access review' });
    await expect(campaign).toHaveAttribute('data-state', 'open');
    await expect(campaign).toContainText('0 of 2 decided');
    await expect(campaign).toContainText(dueDay);

    // Close says why it cannot run yet, instead of failing after a click.
    await expect(page.getByTestId('review-close')).toBeDisabled();
    await expect(page.getByTestId('review-close-reason')).toHaveText('2 memberships still need a decision.');
    // Each membership shows the account beside the decision: Sam signed in just now, with MFA.
    const samAccount = page.locator('[data-testid="review-item"][data-email="officer@attest.example"]').getByTestId('review-account');
    await expect(samAccount).toContainText(/Signed in \d{4}-\d{2}-\d{2}/);
    await expect(samAccount).toHaveAttribute('data-mfa', 'true');
    await expect(samAccount).toContainText('MFA');
    // Sam may keep all undecided but his own: one here (Noah).
    await expect(page.getByTestId('review-keep-all')).toHaveText('Keep all undecided (1)');
    await page.screenshot({ path: 'test-results/screenshots/reviews-open.png' });

    // Nobody decides their own membership: Sam's own item is refused…
    const sam = page.locator('[data-testid="review-item"][data-email="officer@attest.example"]');
    await sam.getByTestId('review-decision').selectOption('keep');
    await sam.getByTestId('review-comment').fill('Security officer, owner');
    await sam.getByTestId('review-save').click();
    await expect(sam.getByTestId('review-item-error')).toHaveAttribute('data-code', 'review_self');
    // …and Noah, Northwind's admin, decides it on his own console.
    const profile = newConsoleProfile();
    const second = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile });
    try {
      const noahPage = await context.newPage();
      await noahPage.goto(second.info.url);
      await signInAs(noahPage, service.person('noah@northwind.example'));
      await noahPage.getByTestId('nav-reviews').click();
      await noahPage.getByTestId('reviews-campaign').filter({ hasText: 'Northwind Q1 access review' }).click();
      const samForNoah = noahPage.locator('[data-testid="review-item"][data-email="officer@attest.example"]');
      // Noah keeps all undecided in one action: Sam's membership; his own stays for someone else.
      await noahPage.getByTestId('review-keep-all').click();
      await expect(noahPage.getByTestId('review-keep-all-result')).toHaveText('Kept 1 membership; yours is left for another owner, admin or reviewer.');
      await expect(samForNoah).toHaveAttribute('data-decision', 'keep');
      await expect(noahPage.getByTestId('review-keep-all')).toHaveCount(0);
      await noahPage.screenshot({ path: 'test-results/screenshots/reviews-keep-all.png' });
    } finally {
      await second.stop();
      removeConsoleProfile(profile);
    }
    await page.getByTestId('reviews-refresh').click();
    await expect(sam).toHaveAttribute('data-decision', 'keep');

    const noah = page.locator('[data-testid="review-item"][data-email="noah@northwind.example"]');
    await noah.getByTestId('review-decision').selectOption('change_role');
    await noah.getByTestId('review-new-role').selectOption('reviewer');
    await noah.getByTestId('review-comment').fill('No longer administers users');
    await noah.getByTestId('review-save').click();
    await expect(noah).toHaveAttribute('data-decision', 'change_role');
    await expect(campaign).toContainText('2 of 2 decided');
    await expect(page.getByTestId('review-close-reason')).toHaveCount(0);
    await expect(page.getByTestId('review-close')).toBeEnabled();
    await page.screenshot({ path: 'test-results/screenshots/reviews-decided.png' });

    // A downgrade decided by Sam: Sam may close.
    await page.getByTestId('review-close').click();
    await expect(campaign).toHaveAttribute('data-state', 'closed');
    await expect(noah).toHaveAttribute('data-outcome', 'role_changed');
    await expect(sam).toHaveAttribute('data-outcome', 'kept');
    await page.screenshot({ path: 'test-results/screenshots/reviews-closed.png' });

    // The role change is in force: the Users view lists Noah as a Reviewer.
    await page.getByTestId('nav-users').click();
    await expect(page.getByRole('row', { name: /Noah Berg/ })).toContainText('Reviewer');
  });
});
