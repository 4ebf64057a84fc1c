import { newConsoleProfile, removeConsoleProfile, startConsole } from './support/processes';
import { expect, signInAs, test } from './support/fixtures';
import { freshCode } from './support/totp';

test('an approval is requested by one user and granted by another: revoke-all runs only then', async ({ page, context, service, openConsole, signIn }) => {
  test.setTimeout(180_000);
  const noah = service.person('noah@northwind.example');
  const profile = newConsoleProfile();
  const second = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile });
  const laptopProfile = newConsoleProfile();
  const laptop = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile: laptopProfile });
  try {
    // Sam is also signed in on the shared laptop: the session the approved revocation ends.
    const laptopPage = await context.newPage();
    await laptopPage.goto(laptop.info.url);
    await signInAs(laptopPage, service.officer);

    // Sam (Northwind owner) asks for every Northwind session but his own to end.
    await openConsole();
    await signIn(page);
    await page.getByTestId('nav-sessions').click();
    await page.getByTestId('sessions-tenant').selectOption({ label: 'Northwind Health' });
    // Noah, Northwind's admin, signs in on another device: one of the sessions at stake.
    const noahPage = await context.newPage();
    await noahPage.goto(second.info.url);
    await signInAs(noahPage, noah);
    await page.getByTestId('sessions-refresh').click();
    await expect(page.getByTestId('sessions-table').getByRole('row', { name: /Noah Berg/ })).toHaveCount(1);
    await expect(page.getByTestId('sessions-table').getByRole('row', { name: /Sam Okafor/ })).toHaveCount(2);

    await page.getByTestId('sessions-revoke-all').click();
    await expect(page.getByTestId('revoke-confirm')).toBeVisible();
    await page.getByTestId('revoke-reason').fill('Suspected credential leak from the shared laptop');
    await page.screenshot({ path: 'test-results/screenshots/approvals-request.png' });
    await page.getByRole('button', { name: 'Request approval' }).click();
    const stepUp = page.getByTestId('step-up-dialog');
    await expect(stepUp).toBeVisible();
    await page.getByTestId('step-up-code').fill(await freshCode(service.officer.totpSecret));
    await page.getByTestId('step-up-code').press('Enter');
    await expect(page.getByTestId('sessions-revoked')).toContainText('Requested: nothing is revoked until another admin approves it');
    // Nothing ended yet: the laptop still works.
    await expect(page.getByTestId('sessions-table').getByRole('row', { name: /Sam Okafor/ })).toHaveCount(2);
    await laptopPage.getByTestId('nav-users').click();
    await expect(laptopPage.getByTestId('app-shell')).toBeVisible();

    // Sam's inbox shows his own request, pending; he cannot decide it.
    await page.getByTestId('nav-approvals').click();
    const mine = page.getByTestId('approval-mine');
    await expect(mine).toHaveCount(1);
    await expect(mine).toHaveAttribute('data-status', 'pending');
    await expect(page.getByTestId('approval-to-decide')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/approvals-mine-pending.png' });

    // Noah opens his inbox (the new last section, by its shortcut) and approves after step-up.
    await noahPage.keyboard.press('Control+7');
    await expect(noahPage.getByTestId('view-approvals')).toBeVisible();
    const card = noahPage.getByTestId('approval-to-decide');
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId('approval-title')).toHaveText("Revoke every session in Northwind Health except the requester's");
    await expect(card.getByTestId('approval-reason')).toHaveText('Suspected credential leak from the shared laptop');
    await card.getByTestId('approval-comment').fill('Confirmed with Sam by phone');
    await noahPage.screenshot({ path: 'test-results/screenshots/approvals-inbox.png' });
    await card.getByTestId('approval-approve').click();
    await expect(noahPage.getByTestId('step-up-dialog')).toBeVisible();
    await noahPage.getByTestId('step-up-code').fill(await freshCode(noah.totpSecret));
    await noahPage.getByTestId('step-up-code').press('Enter');
    await expect(noahPage.getByTestId('approval-to-decide')).toHaveCount(0);
    await expect(noahPage.getByTestId('approvals-none-to-decide')).toBeVisible();

    // Sam sees the outcome; the approver and the requester stayed signed in.
    await page.getByTestId('approvals-refresh').click();
    await expect(mine).toHaveAttribute('data-status', 'approved');
    await expect(mine).toContainText('by noah@northwind.example');
    await expect(mine).toContainText('Confirmed with Sam by phone');
    await expect(mine.getByTestId('approval-result')).toHaveText('1 session revoked');
    await page.screenshot({ path: 'test-results/screenshots/approvals-approved.png' });
    await noahPage.getByTestId('approvals-refresh').click();
    await expect(noahPage.getByTestId('app-shell')).toBeVisible();
    // The laptop's next call is refused: it shows the sign-in screen.
    await laptopPage.getByTestId('nav-sessions').click();
    await expect(laptopPage.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'signed_out');

    // Sign both people out: the demo service is shared with the other specs, which count sessions.
    for (const p of [page, noahPage]) {
      await p.getByTestId('user-menu').click();
      await p.getByTestId('sign-out').click();
      await expect(p.getByTestId('sign-in-screen')).toBeVisible();
    }
  } finally {
    await second.stop();
    await laptop.stop();
    removeConsoleProfile(profile);
    removeConsoleProfile(laptopProfile);
  }
});

test('a requester withdraws a pending request: it leaves the approver’s inbox and badge, and nothing runs', async ({ page, context, service, openConsole, signIn }) => {
  test.setTimeout(180_000);
  const noah = service.person('noah@northwind.example');
  const profile = newConsoleProfile();
  const second = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile });
  try {
    // Noah is signed in on his own console: a session the request would end.
    const noahPage = await context.newPage();
    await noahPage.goto(second.info.url);
    await signInAs(noahPage, noah);
    await expect(noahPage.getByTestId('nav-approvals-badge')).toHaveCount(0);

    await openConsole();
    await signIn(page);
    await page.getByTestId('nav-sessions').click();
    await page.getByTestId('sessions-tenant').selectOption({ label: 'Northwind Health' });
    await page.getByTestId('sessions-refresh').click();
    await expect(page.getByTestId('sessions-table').getByRole('row', { name: /Noah Berg/ })).toHaveCount(1);
    await page.getByTestId('sessions-revoke-all').click();
    await page.getByTestId('revoke-reason').fill('Wrong tenant, asked by mistake');
    await page.getByRole('button', { name: 'Request approval' }).click();
    await page.getByTestId('step-up-code').fill(await freshCode(service.officer.totpSecret));
    await page.getByTestId('step-up-code').press('Enter');
    await expect(page.getByTestId('sessions-revoked')).toContainText('Requested');

    // Noah's inbox: the navigation's badge says one request waits for him, and the card says who may approve it.
    await noahPage.getByTestId('nav-approvals').click();
    await expect(noahPage.getByTestId('nav-approvals-badge')).toHaveText('1');
    const card = noahPage.getByTestId('approval-to-decide');
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId('approval-who')).toHaveText(/^May be approved by an Owner or Admin of Northwind Health, or a .+, other than the requester, after a fresh authenticator code\.$/);

    // Sam's own request says who may approve it, and he withdraws it.
    await page.getByTestId('nav-approvals').click();
    const mine = page.getByTestId('approval-mine').filter({ hasText: 'Wrong tenant, asked by mistake' });
    await expect(mine).toHaveAttribute('data-status', 'pending');
    await expect(mine.getByTestId('approval-who')).toContainText('Awaiting a second person. May be approved by an Owner or Admin of Northwind Health');
    await page.screenshot({ path: 'test-results/screenshots/approvals-withdraw-before.png' });
    await mine.getByTestId('approval-withdraw').click();
    await expect(mine).toHaveAttribute('data-status', 'withdrawn');
    await expect(mine).toContainText('withdrawn by you');
    await expect(mine.getByTestId('approval-withdraw')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/approvals-withdrawn.png' });

    // Noah's inbox and badge empty on refresh; nothing was revoked (he is still signed in).
    await noahPage.getByTestId('approvals-refresh').click();
    await expect(noahPage.getByTestId('approval-to-decide')).toHaveCount(0);
    await expect(noahPage.getByTestId('nav-approvals-badge')).toHaveCount(0);
    await expect(noahPage.getByTestId('app-shell')).toBeVisible();

    for (const p of [page, noahPage]) {
      await p.getByTestId('user-menu').click();
      await p.getByTestId('sign-out').click();
      await expect(p.getByTestId('sign-in-screen')).toBeVisible();
    }
  } finally {
    await second.stop();
    removeConsoleProfile(profile);
  }
});
