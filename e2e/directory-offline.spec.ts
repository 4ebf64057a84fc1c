import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, withOwnServiceAndConsole } from './support/fixtures';

test('offline, Users and Sessions show the offline copy with a banner and hold back changes; back online they reload', async ({ page }) => {
  test.setTimeout(180_000);
  await withOwnServiceAndConsole(page, async ({ service, profile }) => {
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-tenant').selectOption({ label: 'Northwind Health' });
    const users = page.getByTestId('users-table');
    await expect(users.getByRole('row', { name: /Noah Berg/ })).toBeVisible();
    const onlineCount = await page.getByTestId('users-count').textContent();
    await expect(page.getByTestId('users-invite')).toBeEnabled();
    await expect(page.getByTestId('users-offline')).toHaveCount(0);
    // The sync after sign-in wrote the signed-in person's offline copy (tenants, members and sessions) to disk, in their own folder.
    // A service connected with --service-url keeps its data in a folder of its own (services/<tag>/).
    const services = join(profile.configDir, 'services');
    const incidentDirs = () => (existsSync(services) ? readdirSync(services).map((tag) => join(services, tag, 'incidents')) : []).filter((d) => existsSync(d));
    const replicaWritten = () => incidentDirs().some((incidents) => readdirSync(incidents).some((person) => existsSync(join(incidents, person, 'replica.db'))));
    await expect.poll(replicaWritten, { timeout: 30_000 }).toBe(true);

    // The service goes away; once the console notices, the view switches to the offline copy by itself.
    await service.pause();
    await page.getByTestId('connection-indicator').click();
    await page.getByTestId('connection-retry').click();
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'offline');
    await page.keyboard.press('Escape');
    const banner = page.getByTestId('users-offline');
    await expect(banner).toContainText(/Offline copy from .+ — changes need a connection/);
    await expect(users.getByRole('row', { name: /Noah Berg/ })).toBeVisible();
    await expect(page.getByTestId('users-count')).toHaveText(onlineCount ?? '');
    await expect(page.getByTestId('users-invite')).toBeDisabled();
    await expect(page.getByTestId('users-error')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/users-offline.png' });

    await page.getByTestId('nav-sessions').click();
    await page.getByTestId('sessions-tenant').selectOption({ label: 'Northwind Health' });
    await expect(page.getByTestId('sessions-offline')).toContainText('changes need a connection');
    const mine = page.getByTestId('sessions-table').getByRole('row', { name: /Sam Okafor/ }).filter({ has: page.getByTestId('session-current') });
    await expect(mine).toHaveCount(1);
    await expect(page.getByTestId('session-revoke')).toHaveCount(0);
    await expect(page.getByTestId('sessions-revoke-all')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/sessions-offline.png' });

    // The service is back: the view reloads by itself once the console sees it.
    await service.resume();
    await page.getByTestId('connection-indicator').click();
    await page.getByTestId('connection-retry').click();
    await expect(page.getByTestId('sessions-offline')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId('sessions-revoke-all')).toBeVisible();
    await expect(mine).toHaveCount(1);
  });
});
