import { expect, signInAs, test } from './support/fixtures';
import { freshCode } from './support/totp';

test('the demo officer signs in with password and code, sees the tenants, signs out, and a restarted console resumes from the keychain', async ({
  page,
  service,
  openConsole,
}) => {
  const { officer } = service;
  const first = await openConsole();

  // Signed out: the sign-in screen, focused on the email field.
  await expect(page.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'signed_out');
  await expect(page.getByTestId('sign-in-email')).toBeFocused();
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'online');
  await page.screenshot({ path: 'test-results/screenshots/sign-in.png' });

  // A wrong password says what to do next, without saying whether the email exists.
  await page.getByTestId('sign-in-email').fill(officer.email);
  await page.getByTestId('sign-in-password').fill('not the password at all');
  await page.getByTestId('sign-in-password').press('Enter');
  await expect(page.getByTestId('sign-in-error')).toHaveAttribute('data-code', 'invalid_credentials');

  await page.getByTestId('sign-in-password').fill(officer.password);
  await page.getByTestId('sign-in-password').press('Enter');
  await expect(page.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'mfa');
  await expect(page.getByTestId('mfa-code')).toBeFocused();
  await expect(page.getByTestId('mfa-code')).toHaveAttribute('autocomplete', 'one-time-code');
  await page.screenshot({ path: 'test-results/screenshots/sign-in-code.png' });
  await page.getByTestId('sign-in-cancel').click();

  await signInAs(page, officer);
  await expect(page.getByTestId('user-menu')).toContainText('Sam Okafor');
  await expect(page.getByTestId('user-role')).toContainText(/Security officer/);
  await expect(page.getByRole('row', { name: /Northwind Health/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/signed-in.png' });

  await page.getByTestId('user-menu').click();
  await expect(page.getByTestId('user-email')).toHaveText(officer.email);
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'signed_out');
  await expect(page.getByRole('row', { name: /Northwind Health/ })).toHaveCount(0);

  // Sign in again, then restart the console process with the same keychain service and settings.
  await signInAs(page, officer);
  await first.stop();
  await openConsole({ profile: first.profile });
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await expect(page.getByTestId('user-menu')).toContainText('Sam Okafor');
  await expect(page.getByRole('row', { name: /Northwind Health/ })).toBeVisible();
  await expect(page.getByTestId('sign-in-password')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/resumed.png' });
});

test('changing a member’s role asks for a fresh code in the step-up dialog, then goes through', async ({ page, service, openConsole, signIn }) => {
  // Two codes after the previous spec's two: one wait for the next 30-s step at most.
  test.setTimeout(90_000);
  await openConsole();
  await signIn(page);
  await page.getByTestId('nav-users').click();
  await page.getByTestId('users-tenant').selectOption({ label: 'Northwind Health' });
  const noah = page.getByRole('row', { name: /Noah Berg/ });
  await expect(noah).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/users.png' });

  const before = (await noah.getByTestId('member-role').textContent()) ?? '';
  const target = before === 'Editor' ? 'viewer' : 'editor';
  // Row actions live in one menu for the table (change role, reset MFA, deactivate), rendered in a portal at the row's button.
  // It opens from the keyboard too, and Escape gives focus back to the button it came from.
  const actions = noah.getByTestId('member-actions');
  const focusInMenu = page.locator('.bp6-overlay:focus, .bp6-overlay :focus');
  await actions.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('member-change-role')).toBeVisible();
  await expect(focusInMenu).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('member-change-role')).toHaveCount(0);
  await expect(actions).toBeFocused();
  // An Escape that comes before focus has moved into the menu (a quick Enter, Escape) closes it too.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('member-change-role')).toBeVisible();
  await expect(focusInMenu).toHaveCount(1);
  await actions.focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('member-change-role')).toHaveCount(0);
  await expect(actions).toBeFocused();
  await actions.click();
  await page.getByTestId('member-change-role').click();
  await page.getByTestId('change-role-select').selectOption(target);
  await page.getByTestId('change-role-submit').click();

  const stepUp = page.getByTestId('step-up-dialog');
  await expect(stepUp).toBeVisible();
  await expect(page.getByTestId('step-up-code')).toBeFocused();
  await page.screenshot({ path: 'test-results/screenshots/step-up.png' });
  await page.getByTestId('step-up-code').fill(await freshCode(service.officer.totpSecret));
  await page.getByTestId('step-up-code').press('Enter');
  await expect(stepUp).toHaveCount(0);
  await expect(noah.getByTestId('member-role')).toHaveText(target === 'viewer' ? 'Viewer' : 'Editor');
});
