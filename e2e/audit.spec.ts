import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendAuditEvent } from '../service/audit/audit-log';
import { createDb } from '../service/db/db';
import { openPgliteEngine } from '../service/db/pglite-engine';
import { pgliteDir } from '../service/start/data-dir';
import type { TenantId } from '../shared/tenants/tenant';
import { expect, signInAs, test } from './support/fixtures';
import { newConsoleProfile, removeConsoleProfile, startConsole, startRestartableDemoService } from './support/processes';

const EXTRA_EVENTS = 3_000;

/**
 * Runs `work` on the stopped service's own PGlite database, as its owner (the
 * superuser, past the service's role and its append-only grants): PGlite is a
 * folder only one process may open, so the service is stopped meanwhile and then
 * started again on the same data, port and certificate.
 */
const withServiceDatabase = async (dataDir: string, work: (engine: Awaited<ReturnType<typeof openPgliteEngine>>) => Promise<void>) => {
  const engine = await openPgliteEngine(pgliteDir(dataDir));
  try {
    await work(engine);
  } finally {
    await engine.close();
  }
};

const northwindId = async (engine: Awaited<ReturnType<typeof openPgliteEngine>>): Promise<TenantId> => {
  const [row] = await engine.query<{ id: string }>("SELECT id::text AS id FROM tenants WHERE name = 'Northwind Health'");
  if (!row) throw new Error('the demo data has no Northwind Health');
  return row.id as TenantId;
};

test('a security officer checks the audit log, exports it, and sees tampering in the database raise an alert that only a note dismisses', async ({ page }) => {
  test.setTimeout(420_000);
  const service = await startRestartableDemoService();
  const profile = newConsoleProfile();
  let consoleProcess: Awaited<ReturnType<typeof startConsole>> | undefined;
  try {
    // A log long enough for Verify log to show its progress: events appended through the service's own write path.
    await service.restart((dataDir) =>
      withServiceDatabase(dataDir, async (engine) => {
        const tenantId = await northwindId(engine);
        const db = createDb(engine);
        for (let done = 0; done < EXTRA_EVENTS; ) {
          await db.tenant(tenantId, async (tx) => {
            for (let i = 0; i < 1000; i++, done++) {
              await appendAuditEvent(tx, {
                actor: { type: 'user', id: `u-${done % 7}` },
                action: done % 3 === 0 ? 'session.created' : 'member.role_changed',
                target: `member:m-${done % 40}`,
                details: { n: done },
                personal: { ip: `192.0.2.${done % 250}` },
              });
            }
          });
        }
      }),
    );

    consoleProcess = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile });
    await page.goto(consoleProcess.info.url);
    await signInAs(page, service.officer);
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-log-select').selectOption({ label: 'Northwind Health' });
    const head = page.getByTestId('audit-head');
    await expect(head).toContainText(/[\d,]+ events · verified head of/);
    const size = Number((await head.textContent())!.match(/^([\d,]+) events/)![1]!.replace(/,/g, ''));
    expect(size).toBeGreaterThanOrEqual(EXTRA_EVENTS);
    const table = page.getByTestId('audit-table');
    // Loaded rows, not their placeholders.
    await expect(table.getByRole('row').nth(3)).toContainText('member:m-');
    await page.screenshot({ path: 'test-results/screenshots/audit.png' });

    // One event: its inclusion proof checked against the verified head.
    await table.getByRole('row').nth(3).click();
    await expect(page.getByTestId('audit-inclusion-badge')).toHaveAttribute('data-state', 'verified');
    await expect(page.getByTestId('audit-inclusion-badge')).toHaveText(/Verified/);
    await page.screenshot({ path: 'test-results/screenshots/audit-event-verified.png' });

    // Verify log: progress, then the result.
    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    // On a quiet machine 3,000 events may verify before a poll sees the bar: either is fine here.
    await expect(page.getByTestId('audit-progress').or(result)).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/audit-verify-progress.png' });
    await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
    await expect(result).toContainText(`Log verified: ${size.toLocaleString('en-US')} events recomputed to the signed root`);
    await expect(page.getByTestId('audit-progress')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/audit-verified.png' });

    // Export as NDJSON: the file holds every event of the log, one per line.
    await page.getByTestId('audit-export').click();
    const exported = page.getByTestId('audit-export-result');
    await expect(exported).toContainText(`Exported ${size.toLocaleString('en-US')} events`, { timeout: 60_000 });
    const path = (await exported.locator('code').textContent())!;
    expect(path.startsWith(join(profile.configDir, 'exports'))).toBe(true);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(size);
    expect(JSON.parse(lines[41]!)).toMatchObject({ seq: 42, tenantId: expect.any(String) });
    await page.screenshot({ path: 'test-results/screenshots/audit-exported.png' });

    // An insider changes one event's details in the database, as its owner.
    const tampered = 1234;
    await service.restart((dataDir) =>
      withServiceDatabase(dataDir, async (engine) => {
        const tenantId = await northwindId(engine);
        await engine.query(`UPDATE audit_events SET details = '{"n": -1}'::jsonb WHERE tenant_id = $1 AND seq = $2`, [tenantId, tampered]);
      }),
    );

    await page.getByTestId('audit-verify').click();
    await expect(result).toHaveAttribute('data-ok', 'false', { timeout: 60_000 });
    await expect(result).toContainText(`Verification failed at event ${tampered}`);
    const alert = page.getByTestId('audit-alert');
    await expect(alert).toHaveAttribute('data-code', 'audit_integrity_failed');
    await expect(alert).toContainText(`event ${tampered}`);
    await page.screenshot({ path: 'test-results/screenshots/audit-integrity-alert.png' });

    // It can only be dismissed with a note, which is kept.
    await alert.getByTestId('audit-alert-dismiss').click();
    const dialog = page.getByRole('dialog', { name: 'Dismiss integrity alert' });
    await expect(dialog).toBeVisible();
    await page.getByTestId('audit-dismiss-note').fill('ok');
    await expect(page.getByTestId('audit-dismiss-confirm')).toBeDisabled();
    const note = `Event ${tampered} was altered in the database by a test; restored from backup, see INC-7.`;
    await page.getByTestId('audit-dismiss-note').fill(note);
    await page.screenshot({ path: 'test-results/screenshots/audit-dismiss-note.png' });
    await page.getByTestId('audit-dismiss-confirm').click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('audit-alert')).toHaveCount(0);
    const history = page.getByTestId('audit-alert-history');
    await history.getByRole('button', { name: 'Show 1 dismissed alert' }).click();
    await expect(history).toContainText(note);
    // Wait for the history to finish opening (its animation clips it until then).
    await expect(history.locator('li').last()).toBeInViewport({ ratio: 1 });
    await page.screenshot({ path: 'test-results/screenshots/audit-alert-dismissed.png' });
  } finally {
    await consoleProcess?.stop();
    removeConsoleProfile(profile);
    await service.stop();
  }
});
