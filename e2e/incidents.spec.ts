import { expect, test, withOwnServiceAndConsole } from './support/fixtures';
import { getJson } from './support/service-api';

const PLATFORM = '00000000-0000-0000-0000-000000000000';
const NOTE = 'Offline: attacker IPs blocked at the edge';

test('triages an incident offline: edits show pending, sync exactly once when the service is back, and are audited', async ({ page }) => {
  test.setTimeout(180_000);
  await withOwnServiceAndConsole(page, async ({ service }) => {
    await page.getByTestId('nav-incidents').click();
    const list = page.getByTestId('incident-list');
    await expect(list.getByRole('row').first()).toBeVisible();
    // A contained incident of the demo (its P0 breach): a severity change applies to it.
    await list.getByRole('row').filter({ hasText: 'contained' }).first().click();
    const incidentPage = page.getByTestId('incident-page');
    await expect(incidentPage).toBeVisible();
    await expect(page.getByTestId('incident-deadlines').getByRole('listitem').first()).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/incidents-online.png' });

    // The service goes away: the console keeps working from its offline copy.
    await service.pause();
    const offlineSince = new Date().toISOString();
    await page.getByLabel('Add a note').fill(NOTE);
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByLabel('Change severity').selectOption('P1');
    await expect(page.getByTestId('change-moves')).toContainText('Notify affected customers');
    await page.getByLabel(/Reason/).fill('Fewer records than feared');
    await page.getByTestId('change-confirm').click();
    await expect(page.getByTestId('pending-sync')).toHaveCount(2);
    await expect(page.getByTestId('incidents-sync')).toContainText('2 pending sync');
    await expect(incidentPage.getByRole('heading', { level: 2 })).toContainText('P1');
    await page.getByRole('button', { name: 'Sync' }).click();
    await expect(page.getByTestId('incidents-problem')).toContainText('cannot be reached');
    await expect(page.getByRole('button', { name: /Offline · 2 pending/ })).toBeVisible();
    await expect(page.getByTestId('pending-sync')).toHaveCount(2);
    await page.screenshot({ path: 'test-results/screenshots/incidents-offline-pending.png' });

    // Back on the same data and port: one sync applies both edits.
    await service.resume();
    await page.getByRole('button', { name: 'Sync' }).click();
    await expect(page.getByTestId('pending-sync')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId('incidents-sync')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Online', exact: true })).toBeVisible();
    await expect(page.getByTestId('incident-timeline')).toContainText('Offline: attacker IPs blocked at the edge');
    await expect(page.getByTestId('incident-timeline')).toContainText(/Severity P\d → P1/);
    await page.screenshot({ path: 'test-results/screenshots/incidents-synced.png' });

    const audit = await getJson<{ items: { action: string; details: Record<string, unknown> }[] }>(
      service.info.url,
      `/v1/tenants/${PLATFORM}/audit/events?limit=200`,
      service.info.fingerprint,
      service.token,
    );
    // The audit keeps a note's length, not its text; the edits are dated when they were made offline.
    const offline = audit.items.filter((e) => typeof e.details.at === 'string' && e.details.at >= offlineSince);
    expect(offline.map((e) => [e.action, e.details.textLength ?? e.details.to])).toEqual([
      ['incident.note_added', NOTE.length],
      ['incident.severity_changed', 'P1'],
    ]);

    // Taking command of another incident alerts this console (a toast in browser mode); Open brings it back from anywhere.
    await list.getByRole('row').filter({ hasText: 'Elevated sign-in failures' }).click();
    await page.getByRole('button', { name: 'Take command' }).click();
    const alert = page.getByTestId('incident-alert').filter({ hasText: 'assigned to you' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('You are the commander of “Elevated sign-in failures from one ASN”.');
    // Times in alerts go through the console's one formatter, never as raw ISO instants.
    await expect(page.getByTestId('incident-alert').filter({ hasText: /\d{4}-\d\d-\d\dT\d\d:/ })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/incidents-alert-toast.png' });
    await page.getByTestId('nav-tenants').click();
    await page.locator('.bp6-toast').filter({ has: alert }).getByRole('button', { name: 'Open' }).click();
    await expect(page.getByTestId('incident-page').getByRole('heading', { level: 2 })).toContainText('Elevated sign-in failures from one ASN');
    await expect(page.getByTestId('incident-facts')).toContainText('commander you');
    await expect(page.getByRole('button', { name: 'Take command' })).toHaveCount(0);
  });
});
