import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { addPlatformAdmin, newConsoleProfile, newDataDir, removeConsoleProfile, runCli, startServiceAndConsole, type Running } from './support/processes';
import { freshCode } from './support/totp';

const CLI = 'service/cli/attest-service.ts';
const OWNER = { email: 'owner@harbour-clinic.example', name: 'Ines Duarte', password: 'tide pools at seven' };
const MEMBER = 'nurse.lead@harbour-clinic.example';

/**
 * From nothing to a working tenant without demo data, as README's walkthrough has it:
 * `init`, `tenant create` and a platform admin from the CLI; the owner accepts the
 * invitation in the console (a new account: password, then MFA enrolment), invites a
 * member and sees them listed; the platform admin opens New tenant.
 */
test('a fresh installation: init, tenant create, the owner accepts in the console, enrols, invites a member; staff see New tenant', async ({ page }) => {
  test.setTimeout(180_000);
  const dataDir = newDataDir();
  const profile = newConsoleProfile();
  const running: Running<unknown>[] = [];
  try {
    expect((await runCli([CLI, 'init', '--data', dataDir])).trim()).toMatch(/^atst_op_/);
    const created = JSON.parse(
      await runCli([CLI, 'tenant', 'create', '--name', 'Harbour Clinic', '--region', 'eu', '--plan', 'team', '--owner', OWNER.email, '--data', dataDir]),
    ) as { tenant: { id: string; slug: string }; invite: { token: string } };
    expect(created.tenant.slug).toBe('harbour-clinic');
    const admin = await addPlatformAdmin(dataDir);

    const consoleProcess = await startServiceAndConsole(dataDir, profile, running);
    await page.goto(consoleProcess.info.url);

    // The owner accepts on the sign-in screen: token, email, name, a password with the policy's advice.
    await page.getByTestId('sign-in-accept-invite').click();
    await expect(page.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'accept_invite');
    await page.getByTestId('accept-token').fill(created.invite.token.slice(0, 20));
    await expect(page.getByText('The token looks cut short')).toBeVisible();
    await page.getByTestId('accept-token').fill(created.invite.token);
    await page.getByTestId('accept-email').fill(OWNER.email);
    await page.getByTestId('accept-name').fill(OWNER.name);
    await page.getByTestId('accept-password').fill('short');
    await expect(page.getByTestId('accept-password-advice')).toContainText('At least 12 characters');
    await page.getByTestId('accept-password').fill(OWNER.password);
    await page.getByTestId('accept-confirm').fill(OWNER.password);
    await page.screenshot({ path: 'test-results/screenshots/accept-invite.png' });
    await page.getByTestId('accept-submit').click();

    // Then MFA enrolment, as at any first sign-in where the tenant requires it.
    await expect(page.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'enrol');
    const secret = (await page.getByTestId('enrol-secret').innerText()).replace(/\s/g, '');
    await page.getByTestId('enrol-code').fill(await freshCode(secret));
    await page.getByTestId('enrol-code').press('Enter');
    await page.getByText('I have saved these codes somewhere safe').click();
    await page.getByTestId('recovery-codes-continue').click();
    await expect(page.getByTestId('app-shell')).toBeVisible();
    await expect(page.getByTestId('user-menu')).toContainText(OWNER.name);

    // The Tenant page: settings with their bounds, counts, the audit head.
    await page.getByRole('row', { name: /Harbour Clinic/ }).click();
    const tenantPage = page.getByTestId('tenant-detail');
    await expect(tenantPage.getByTestId('tenant-slug')).toHaveText('harbour-clinic');
    await expect(tenantPage.getByTestId('tenant-name')).toHaveValue('Harbour Clinic');
    await expect(tenantPage.getByTestId('tenant-idle')).toHaveValue('14');
    await expect(tenantPage.getByTestId('tenant-idle-bounds')).toContainText('15 minutes to 30 days');
    await expect(tenantPage.getByTestId('tenant-count-members')).toHaveText('1');
    await expect(tenantPage.getByTestId('mfa-policy-switch')).toBeVisible();

    // A shorter idle limit: step-up, then saved and shown.
    await tenantPage.getByTestId('tenant-idle').fill('8');
    await tenantPage.getByTestId('tenant-idle-unit').selectOption('hours');
    await tenantPage.getByTestId('tenant-settings-save').click();
    await expect(page.getByTestId('step-up-dialog')).toBeVisible();
    await page.getByTestId('step-up-code').fill(await freshCode(secret));
    await page.getByTestId('step-up-code').press('Enter');
    await expect(page.getByTestId('step-up-dialog')).toHaveCount(0);
    await expect(tenantPage.getByTestId('tenant-idle')).toHaveValue('8');
    await expect(tenantPage.getByTestId('tenant-idle-unit')).toHaveValue('hours');
    await page.screenshot({ path: 'test-results/screenshots/tenant-page.png' });

    // Members opens Users on this tenant; the owner invites a member and sees them listed.
    await tenantPage.getByTestId('tenant-count-members-open').click();
    await expect(page.getByRole('row', { name: new RegExp(OWNER.email) })).toBeVisible();
    await page.getByTestId('users-invite').click();
    await page.getByTestId('invite-email').fill(MEMBER);
    await page.getByTestId('invite-submit').click();
    await expect(page.getByTestId('invite-token')).toHaveValue(/^atst_inv_/);
    await page.getByTestId('invite-done').click();
    await expect(page.getByRole('row', { name: new RegExp(MEMBER) })).toBeVisible();
    // And the platform admin, who has an account already, as a viewer.
    await page.getByTestId('users-invite').click();
    await page.getByTestId('invite-email').fill(admin.email);
    await page.getByTestId('invite-submit').click();
    const adminInvite = await page.getByTestId('invite-token').inputValue();
    await page.getByTestId('invite-done').click();

    // A platform admin (from the CLI) sees every tenant and New tenant.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-email').fill(admin.email);
    await page.getByTestId('sign-in-password').fill(admin.password);
    await page.getByTestId('sign-in-password').press('Enter');
    await page.getByTestId('mfa-code').fill(await freshCode(admin.totpSecret));
    await page.getByTestId('mfa-code').press('Enter');
    // With the counts of every tenant: 1 active member, all with MFA.
    await expect(page.getByRole('row', { name: /Harbour Clinic/ })).toContainText('100 %');
    // An existing account accepts from the account menu, with its own session.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('accept-invitation').click();
    await page.getByTestId('accept-invite-token').fill(adminInvite);
    await page.getByTestId('accept-invite-submit').click();
    await expect(page.getByTestId('accept-invite-done')).toHaveText('You are now Viewer in Harbour Clinic.');
    await page.getByTestId('accept-invite-close').click();
    await expect(page.getByTestId('user-role')).toContainText('Platform admin');
    await page.getByTestId('tenants-new').click();
    await page.getByTestId('new-tenant-name').fill('Nordlicht Labs');
    await expect(page.getByTestId('new-tenant-slug')).toHaveValue('nordlicht-labs');
    await page.getByTestId('new-tenant-plan').selectOption('enterprise');
    await page.getByTestId('new-tenant-owner').fill('cto@nordlicht.example');
    await page.screenshot({ path: 'test-results/screenshots/new-tenant.png' });
    await page.getByTestId('new-tenant-submit').click();
    await page.getByTestId('step-up-code').fill(await freshCode(admin.totpSecret));
    await page.getByTestId('step-up-code').press('Enter');
    await expect(page.getByTestId('new-tenant-token')).toHaveValue(/^atst_inv_/);
    await page.screenshot({ path: 'test-results/screenshots/new-tenant-created.png' });
    await page.getByTestId('new-tenant-done').click();
    await expect(page.getByRole('row', { name: /Nordlicht Labs/ })).toBeVisible();
    // Staff filter by plan.
    await page.getByTestId('tenants-facet-plan').selectOption('enterprise');
    await expect(page.getByRole('row', { name: /Harbour Clinic/ })).toHaveCount(0);
    await expect(page.getByRole('row', { name: /Nordlicht Labs/ })).toBeVisible();

    // Suspending asks for a second person's approval; nothing changes yet.
    await page.getByRole('row', { name: /Nordlicht Labs/ }).click();
    await page.getByTestId('tenant-suspend').click();
    await page.getByTestId('tenant-status-reason').fill('Signed up by mistake; billing to confirm');
    await page.getByTestId('tenant-status-submit').click();
    await expect(page.getByTestId('tenant-status-requested')).toContainText('another person');
    await page.getByTestId('tenant-status-done').click();
    await expect(page.getByTestId('tenant-suspended')).toHaveCount(0);
    await page.getByTestId('tenants-facet-plan').selectOption('');
    await page.getByRole('button', { name: 'Close details' }).click();
    await expect(page.getByRole('row', { name: /Nordlicht Labs/ })).toContainText('—');
    await page.screenshot({ path: 'test-results/screenshots/tenants-staff.png' });
  } finally {
    for (const r of running.reverse()) await r.stop();
    removeConsoleProfile(profile);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
