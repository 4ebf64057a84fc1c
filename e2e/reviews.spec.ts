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
    await page.screenshot({ path: 'test-results/screenshots/reviews-start.png' });
    await page.getByTestId('review-start-confirm').click();
    await page.getByTestId('step-up-code').fill(await freshCode(service.officer.totpSecret));
    await page.getByTestId('step-up-code').press('Enter');
    await expect(dialog).toHaveCount(0);

    const campaign = page.getByTestId('reviews-campaign').filter({ hasText: 'Northwind Q1 access review' });
    await expect(campaign).toHaveAttribute('data-state', 'open');
    await expect(campaign).toContainText('0 of 2 decided');

    // Closing before every membership is decided is refused.
    await page.getByTestId('review-close').click();
    await expect(page.getByTestId('review-close-error')).toHaveAttribute('data-code', 'access_review_incomplete');

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
      await samForNoah.getByTestId('review-decision').selectOption('keep');
      await samForNoah.getByTestId('review-comment').fill('Security officer, owner');
      await samForNoah.getByTestId('review-save').click();
      await expect(samForNoah).toHaveAttribute('data-decision', 'keep');
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
