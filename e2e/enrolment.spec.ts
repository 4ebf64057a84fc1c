import { expect, test } from './support/fixtures';
import { freshCode } from './support/totp';

/** The demo seed invites Jonas Weber (Acme Analytics, viewer) without an authenticator: where MFA is required he can only enrol. */
const INVITED = { email: 'jonas@acme.example', name: 'Jonas Weber' };

test('a member without MFA enrols at first sign-in: QR code and key, a valid code, recovery codes shown once', async ({ page, service, openConsole }) => {
  await openConsole();
  await page.getByTestId('sign-in-email').fill(INVITED.email);
  // Every demo person shares the demo password.
  await page.getByTestId('sign-in-password').fill(service.officer.password);
  await page.getByTestId('sign-in-password').press('Enter');

  await expect(page.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'enrol');
  await expect(page.getByTestId('enrol-qr').locator('svg')).toBeVisible();
  const secret = (await page.getByTestId('enrol-secret').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expect(page.getByTestId('enrol-code')).toBeFocused();
  await page.screenshot({ path: 'test-results/screenshots/enrolment.png' });

  // A wrong code does not complete enrolment.
  await page.getByTestId('enrol-code').fill('000000');
  await page.getByTestId('enrol-code').press('Enter');
  await expect(page.getByTestId('sign-in-error')).toHaveAttribute('data-code', 'invalid_mfa_code');

  await page.getByTestId('enrol-code').fill(await freshCode(secret));
  await page.getByTestId('enrol-code').press('Enter');
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await expect(page.getByTestId('recovery-codes-continue')).toBeDisabled();
  await page.screenshot({ path: 'test-results/screenshots/recovery-codes.png' });
  await page.getByText('I have saved these codes somewhere safe').click();
  await page.getByTestId('recovery-codes-continue').click();
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await expect(page.getByTestId('user-menu')).toContainText(INVITED.name);
});
