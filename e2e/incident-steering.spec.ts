import { existsSync, readFileSync } from 'node:fs';
import { expect, test, withOwnServiceAndConsole } from './support/fixtures';

const TITLE = 'Backup bucket exposed on a staging host';
const local = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

test('a responder steers an incident: declares it offline, syncs it, sees the clocks, lowers it with a reason, exports its notice twice', async ({ page }) => {
  test.setTimeout(240_000);
  await withOwnServiceAndConsole(page, async ({ service }) => {
    await page.getByTestId('nav-incidents').click();
    const list = page.getByTestId('incident-list');
    await expect(list.getByRole('row').first()).toBeVisible();
    await expect(page.getByTestId('incidents-count')).toHaveText('3 incidents');
    // Full titles on hover; tenant, next deadline and commander as columns.
    const breach = list.getByRole('row').filter({ hasText: 'Patient export bucket' });
    await expect(breach.locator('[title="Patient export bucket readable without authentication"]')).toBeVisible();
    await expect(breach).toContainText('Northwind Health');
    await expect(breach.getByTestId('next-deadline')).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/incident-steering-list.png' });

    // Offline: the declaration is journaled and pending, its clocks provisional.
    await service.pause();
    await page.getByTestId('declare-incident').click();
    const declare = page.getByTestId('declare-dialog');
    await expect(declare.getByLabel('Title')).toBeFocused();
    await page.getByTestId('declare-confirm').click();
    await expect(declare).toContainText('Give the incident a title.');
    await declare.getByLabel('Title').fill(TITLE);
    await declare.getByLabel('Detected at').fill(local(Date.now() + 2 * 3_600_000));
    await page.getByTestId('declare-confirm').click();
    await expect(declare).toContainText('Detection cannot be in the future.');
    await declare.getByLabel('Detected at').fill(local(Date.now() - 10 * 60_000));
    await declare.getByLabel('Severity').selectOption('P0');
    await declare.getByRole('checkbox', { name: 'Northwind Health' }).check({ force: true });
    await page.screenshot({ path: 'test-results/screenshots/incident-steering-declare.png' });
    await page.getByTestId('declare-confirm').click();
    await expect(declare).toHaveCount(0);
    const incidentPage = page.getByTestId('incident-page');
    await expect(incidentPage.getByRole('heading', { level: 2 })).toContainText(TITLE);
    await expect(page.getByTestId('declared-pending')).toBeVisible();
    await expect(page.getByTestId('deadline-classification')).toContainText(/due in \d+ min \(provisional\)/);
    await expect(list.getByRole('row').filter({ hasText: TITLE })).toContainText('declared');
    await expect(page.getByTestId('incidents-count')).toHaveText('4 incidents');
    await expect(page.getByTestId('incidents-sync')).toContainText('1 pending sync');
    await page.screenshot({ path: 'test-results/screenshots/incident-steering-declared-offline.png' });

    // Back online: one sync opens it on the service; the clocks are the service's now.
    await service.resume();
    await page.getByRole('button', { name: 'Sync' }).click();
    await expect(page.getByTestId('declared-pending')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId('incidents-sync')).toHaveCount(0);
    await expect(page.getByTestId('deadline-classification')).toHaveAttribute('data-state', /pending|amber/);
    await expect(page.getByTestId('deadline-classification')).not.toContainText('provisional');
    await expect(page.getByTestId('deadline-chart')).toBeVisible();
    await expect(page.getByTestId('incident-facts')).toContainText('Northwind Health');
    await expect(page.getByTestId('incident-facts')).toContainText('commander you');

    // Triage: the customer-notice clock starts; the dialog says so first.
    await page.getByRole('combobox', { name: 'Change status' }).selectOption('triaged');
    await expect(page.getByTestId('change-moves')).toContainText('Notify affected customers: starts at triage → due in');
    await page.getByTestId('change-confirm').click();
    await expect(page.getByTestId('deadline-customer_notice')).toHaveAttribute('data-state', 'pending', { timeout: 20_000 });

    // Lowering P0 → P1 shows the moved deadline and needs a reason, on the console and on the service.
    await page.getByRole('combobox', { name: 'Change severity' }).selectOption('P1');
    await expect(page.getByTestId('change-moves')).toContainText(/Notify affected customers: due in (23 h 5\d min|1 d) → due in (2 d 23 h|3 d)/);
    await page.screenshot({ path: 'test-results/screenshots/incident-steering-downgrade.png' });
    await page.getByTestId('change-confirm').click();
    await expect(page.getByTestId('change-dialog')).toContainText('Say why the severity goes down.');
    await page.getByLabel(/Reason/).fill('Only staging data was in the bucket');
    await page.getByTestId('change-confirm').click();
    await expect(page.getByTestId('change-dialog')).toHaveCount(0);
    const timeline = page.getByTestId('incident-timeline');
    await expect(timeline).toContainText('Severity P0 → P1 — reason: Only staging data was in the bucket; moved Notify affected customers: due');
    await expect(page.getByTestId('pending-sync')).toHaveCount(0, { timeout: 20_000 });

    // Resolving with the notice unsent warns and needs a reason; then the review is published as an action.
    await page.getByRole('combobox', { name: 'Change status' }).selectOption('resolved');
    await expect(page.getByTestId('change-unsent')).toContainText('customer notice to Northwind Health');
    await page.getByLabel(/Reason/).fill('Northwind told by phone; notice follows');
    await page.getByTestId('change-confirm').click();
    await expect(page.getByTestId('change-dialog')).toHaveCount(0);
    await expect(timeline).toContainText('Status triaged → resolved — reason: Northwind told by phone; notice follows');
    await expect(page.getByRole('combobox', { name: 'Change status' })).not.toContainText('review published');
    await page.getByTestId('publish-review').click();
    await expect(page.getByRole('dialog', { name: 'Publish the post-incident review' })).toBeVisible();
    await page.getByTestId('change-confirm').click();
    await expect(incidentPage.getByRole('heading', { level: 2 })).toContainText('review published', { timeout: 20_000 });
    await expect(page.getByTestId('pending-sync')).toHaveCount(0, { timeout: 20_000 });

    // The notice reads rendered, not as raw Markdown.
    const notice = incidentPage.locator('details.attest-notice').filter({ hasText: 'customer · Northwind Health' });
    await notice.locator('summary').click();
    await expect(notice.getByTestId('notice-preview').locator('h2').first()).toBeVisible();
    await expect(notice.getByTestId('notice-preview')).not.toContainText('## ');
    await page.screenshot({ path: 'test-results/screenshots/incident-steering-page.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/screenshots/incident-steering-page-dark.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    // Exported twice: two files, named for the incident, the kind and the tenant; the path is shown.
    const saved: string[] = [];
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('incident-export').click();
      await page.locator('[data-testid="export-customer-markdown"][data-tenant="Northwind Health"]').click();
      const status = page.getByTestId('incident-export-status');
      await expect(status).toContainText(i === 0 ? /customer-notice-northwind-health\.md$/ : /customer-notice-northwind-health \(2\)\.md$/);
      saved.push(((await status.textContent()) ?? '').replace(/^Saved to /, ''));
    }
    expect(saved[0]).toMatch(/incident-backup-bucket-exposed-on-a-staging-host-[0-9a-f]{8}-customer-notice-northwind-health\.md$/);
    expect(saved[0]).not.toBe(saved[1]);
    for (const path of saved) {
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path, 'utf8')).toContain('To: Northwind Health');
    }
  });
});
