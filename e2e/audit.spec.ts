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
/** Events by Noah Berg (a Northwind admin), two of them refused: what the officer filters for by name. */
const NOAH_EVENTS = 5;

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
        const [noah] = await engine.query<{ id: string }>("SELECT id::text AS id FROM users WHERE email = 'noah@northwind.example'");
        await db.tenant(tenantId, async (tx) => {
          for (let i = 0; i < NOAH_EVENTS; i++) {
            await appendAuditEvent(tx, { actor: { type: 'user', id: noah!.id }, action: i < 2 ? 'auth.login' : 'member.role_changed', target: `tenant:${tenantId}`, outcome: i < 2 ? 'denied' : 'success' });
          }
        });
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
    await expect(table.getByRole('row').nth(3)).toContainText('member m-');
    await page.screenshot({ path: 'test-results/screenshots/audit.png' });

    // Filter by a person's name (picked from suggestions) and an action prefix: the count says how many of the log.
    const filters = page.getByTestId('audit-filters');
    await filters.getByLabel('Person').fill('noah');
    await page.getByTestId('audit-person-option').filter({ hasText: 'Noah Berg' }).click();
    await filters.getByLabel('Action starts with').fill('auth.');
    await page.getByTestId('audit-apply').click();
    const count = page.getByTestId('audit-count');
    await expect(count).toHaveText(`2 of ${size.toLocaleString('en-US')}`);
    await expect(table.locator('tr[data-seq]')).toHaveCount(2);
    await expect(table.getByTestId('audit-actor').first()).toHaveText('Noah Berg');
    await expect(table.getByTestId('audit-target').first()).toHaveText('tenant Northwind Health');
    await expect(table.getByTestId('audit-actor').first()).toHaveAttribute('title', /noah@northwind\.example · [0-9a-f-]{36}/);
    // Unknown actors are said as such, with their id on hover (checked below on the unfiltered log).
    await page.screenshot({ path: 'test-results/screenshots/audit-filtered-by-name.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/screenshots/audit-filtered-by-name-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    // The export writes exactly these two events, and says which filter made it.
    await page.getByTestId('audit-export').click();
    const filteredExport = page.getByTestId('audit-export-result');
    await expect(filteredExport).toContainText('Exported 2 events (the filter: by Noah Berg, action starting “auth.”');
    const filteredPath = (await filteredExport.locator('code').textContent())!;
    expect(filteredPath).toMatch(/attest-audit-[0-9a-f]{8}-filtered-actor-[0-9a-f]{8}_action-auth\.-all-.*\.ndjson$/);
    const filteredLines = readFileSync(filteredPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string });
    expect(filteredLines.map((e) => [e.action, e.outcome])).toEqual([['auth.login', 'denied'], ['auth.login', 'denied']]);

    // A name nobody has is refused, readably, and the previous two rows do not stay behind.
    await filters.getByLabel('Person').fill('Nobody Here');
    await page.getByTestId('audit-apply').click();
    await expect(page.getByTestId('audit-filter-problem')).toHaveText(/No one in this log's directory is called “Nobody Here”/);
    await expect(page.getByTestId('audit-refused')).toBeVisible();
    await expect(page.getByTestId('audit-table')).toHaveCount(0);
    await expect(count).toHaveText('Filter not applied');
    await expect(page.getByTestId('audit-export')).toBeDisabled();
    await page.screenshot({ path: 'test-results/screenshots/audit-filter-refused.png' });
    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await expect(count).toHaveText(`${size.toLocaleString('en-US')} events`);

    // A scrollbar drag jumps to rows with none in common: the frame shows their Seq and Time only (what
    // says where the view is), and the rest of each row fills in once the view rests.
    await expect(table.locator('tr[data-seq="3"]')).toContainText('member m-');
    const firstFrame = await table.evaluate(async (box) => {
      box.scrollTop = 28 * 200;
      await new Promise((shown) => box.ownerDocument.defaultView?.requestAnimationFrame(() => setTimeout(shown, 0)));
      const row = box.querySelector('tr[data-seq="220"]');
      return row ? [...row.querySelectorAll('td')].map((td) => td.textContent) : null;
    });
    expect(firstFrame?.slice(0, 1)).toEqual(['220']);
    expect(firstFrame?.[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /);
    expect(firstFrame?.slice(2)).toEqual(['', '', '', '']);
    const jumpedTo = table.locator('tr[data-seq="220"]');
    await expect(jumpedTo.getByTestId('audit-actor')).toHaveText('unknown person');
    await expect(jumpedTo).toContainText(/member\.role_changed|session\.created/);
    await expect(jumpedTo.locator('td').last()).toHaveText('success');
    await table.evaluate((box) => {
      box.scrollTop = 0;
    });
    await expect(table.getByRole('row').nth(3).getByTestId('audit-actor')).toHaveText('unknown person');
    await expect(table.getByRole('row').nth(3).getByTestId('audit-actor')).toHaveAttribute('title', /^u-\d$/);

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
    await expect(exported).toContainText(`Exported ${size.toLocaleString('en-US')} events (the whole log`, { timeout: 60_000 });
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
