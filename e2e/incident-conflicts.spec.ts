import { randomUUID } from 'node:crypto';
import type { RestartableService } from './support/processes';
import { expect, test, withOwnServiceAndConsole } from './support/fixtures';
import { getJson, postJson } from './support/service-api';
import { freshCode } from './support/totp';

const PLATFORM = '00000000-0000-0000-0000-000000000000';
const BREACH = 'Patient export bucket readable without authentication';
const ASN = 'Elevated sign-in failures from one ASN';

/** The officer's own session straight from the service: the "someone else" who edits while this console is behind. */
const officerSession = async (service: RestartableService): Promise<string> => {
  const { url, fingerprint } = service.info;
  const login = await postJson<{ next: string; challengeId: string }>(url, '/v1/auth/login', fingerprint, null, { email: service.officer.email, password: service.officer.password });
  const mfa = await postJson<{ accessToken: string }>(url, '/v1/auth/mfa', fingerprint, null, { challengeId: login.body.challengeId, code: await freshCode(service.officer.totpSecret) });
  if (mfa.status !== 200) throw new Error(`officer sign-in failed: ${JSON.stringify(mfa.body)}`);
  return mfa.body.accessToken;
};

/** A time as the console's fields take it, in this machine's time zone (the browser's too). */
const local = (ms: number): string => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

test('resolves a conflict by merging notes, corrects details after opening, and explains an incident not synced yet', async ({ page }) => {
  test.setTimeout(240_000);
  await withOwnServiceAndConsole(page, async ({ service, consoleProcess }) => {
    const session = await officerSession(service);
    await page.getByTestId('nav-incidents').click();
    const list = page.getByTestId('incident-list');
    await list.getByRole('row').filter({ hasText: BREACH }).click();
    const incidentPage = page.getByTestId('incident-page');
    const timeline = page.getByTestId('incident-timeline');
    // A sent notice names the tenant, not its id.
    await expect(timeline).toContainText('customer notice marked sent to Northwind Health');

    // Someone else lowers the severity on the service; this console has not pulled since, and raises it.
    const all = await getJson<{ items: { incident: { id: string; title: string; version: number } }[] }>(
      service.info.url,
      `/v1/tenants/${PLATFORM}/incidents`,
      service.info.fingerprint,
      service.token,
    );
    const breach = all.items.find((i) => i.incident.title === BREACH)!.incident;
    const theirs = await postJson(service.info.url, `/v1/incidents/${breach.id}/edits`, service.info.fingerprint, session, {
      idempotencyKey: randomUUID(),
      edit: { incidentId: breach.id, at: new Date().toISOString(), kind: 'severity', baseVersion: breach.version, to: 'P2', reason: 'Smaller than feared' },
    });
    expect(theirs.status).toBe(200);
    await page.getByLabel('Change severity').selectOption('P1');
    // Lowering the severity (as this console still sees it, P0) asks a reason before it is saved.
    await page.getByLabel(/Reason/).fill('Only two exports were listed');
    await page.getByTestId('change-confirm').click();
    const conflict = page.getByTestId('incident-conflict');
    await expect(conflict).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('conflict-mine')).toContainText('severity → P1');
    await expect(page.getByTestId('conflict-theirs')).toContainText('severity P2');
    await expect(page.getByTestId('conflict-theirs')).toContainText('by you (another session)');
    await expect(conflict.getByRole('button')).toHaveText(['Keep mine', 'Keep theirs', 'Merge notes…']);
    await conflict.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/incident-conflict-panel.png' });

    // Merge notes: the field stays as the service has it; my change becomes a note I can word myself.
    await conflict.getByRole('button', { name: 'Merge notes…' }).click();
    const text = page.getByTestId('conflict-merge-text');
    await expect(text).toBeFocused();
    await expect(text).toHaveValue(/^My offline change \(made .+\), not applied: severity → P1\.\nOn the service now: severity P2 \(changed .+ by you \(another session\), version \d+\)\.$/);
    await text.pressSequentially('\nRaising again once the log review is done.');
    await page.screenshot({ path: 'test-results/screenshots/incident-conflict-merge.png' });
    const merged = await text.inputValue();
    await text.press('Control+Enter');
    await expect(conflict).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId('pending-sync')).toHaveCount(0, { timeout: 20_000 });
    await expect(incidentPage.getByRole('heading', { level: 2 })).toContainText('P2');
    expect(merged.endsWith('\nRaising again once the log review is done.')).toBe(true);
    await expect(timeline.getByRole('listitem').last()).toContainText(merged.split('\n')[1]!);
    await expect(timeline).toContainText('Raising again once the log review is done.');

    // Edit details: verification learnt later starts the breach-notice clock.
    await list.getByRole('row').filter({ hasText: ASN }).click();
    await expect(incidentPage.getByRole('heading', { level: 2 })).toContainText(ASN);
    await expect(page.getByTestId('incident-deadlines')).not.toContainText('breach notice');
    await page.getByTestId('edit-details').click();
    const dialog = page.getByTestId('edit-details-dialog');
    await expect(dialog.getByLabel('Title')).toBeFocused();
    await dialog.getByRole('checkbox', { name: /Involves personal data/ }).check({ force: true });
    await dialog.getByLabel('Verified at').fill(local(Date.now() - 3 * 86_400_000));
    await page.getByTestId('edit-details-save').click();
    await expect(page.getByTestId('edit-details-error')).toContainText('Verified at cannot be before the incident was detected');
    await page.screenshot({ path: 'test-results/screenshots/incident-details-invalid.png' });
    const verified = local(Date.now() - 10 * 60_000);
    await dialog.getByLabel('Verified at').fill(verified);
    await dialog.getByLabel('Title').fill(`${ASN} (credential stuffing)`);
    await page.screenshot({ path: 'test-results/screenshots/incident-details-dialog.png' });
    await page.getByTestId('edit-details-save').click();
    await expect(dialog).toHaveCount(0);
    await expect(timeline).toContainText(`Details changed: title “${ASN} (credential stuffing)”; personal data yes; aware at`);
    await expect(page.getByTestId('pending-sync')).toHaveCount(0, { timeout: 20_000 });
    const deadlines = page.getByTestId('incident-deadlines');
    await expect(deadlines).toContainText('Send the breach notice to affected customers');
    await expect(deadlines).toContainText('Notify the regulator (personal data)');
    await expect(deadlines.getByRole('listitem').filter({ hasText: 'breach notice' })).toContainText(/due in \d+ h/);
    await expect(page.getByTestId('incident-facts')).toContainText(`verified ${verified.replace('T', ' ')}`);

    // A link to an incident this console has never synced, followed while the service is away.
    const created = await postJson<{ incident: { id: string } }>(service.info.url, '/v1/incidents', service.info.fingerprint, session, {
      title: 'Webhook signing key found in a support ticket',
      severity: 'P3',
      personalData: false,
      affectedTenantIds: [],
      detectedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    });
    expect(created.status).toBe(201);
    await service.pause();
    const link = new URL(consoleProcess.info.url);
    link.search = `?incident=${created.body.incident.id}`;
    await page.goto(link.toString());
    const notSynced = page.getByTestId('incident-not-synced');
    await expect(notSynced).toContainText('Not in your offline copy yet');
    await expect(notSynced).toContainText('It will load here by itself when the service is reachable.');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('incident-not-synced-last')).toHaveText(/^Last synced \d{4}-\d\d-\d\d \d\d:\d\d (UTC|GMT[+-]\d+(:\d\d)?)\. The service cannot be reached right now\.$/);
    await page.screenshot({ path: 'test-results/screenshots/incident-not-in-offline-copy.png' });
    await service.resume();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(incidentPage.getByRole('heading', { level: 2 })).toContainText('Webhook signing key found in a support ticket', { timeout: 20_000 });
  });
});
