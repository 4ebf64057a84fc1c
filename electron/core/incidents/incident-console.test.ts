import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState } from '../../../shared/ipc/contract';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { ownerFolder, ownerKeyAccount } from '../offline/offline-owner';
import { loadReplica } from '../offline/replica-database';
import { ok, signIn as signInTestConsole, startConsole as startTestConsole, type ConsoleOptions, type ConsoleUnderTest } from '../testing/console-under-test.fixture';

/**
 * Offline triage through the console core, against the real service over HTTPS.
 * "Offline" is a relay between the core and the service that the test cuts.
 */
describe('incidents offline (core, against the real service)', () => {
  let service: RealService;
  let tenantId: TenantId;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    service = await startRealService();
    tenantId = await service.tenant();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(() => service.close());

  /** A console core with its own data dir behind its own cuttable link; the same vault and dir make a restart. */
  const startConsole = (opts: ConsoleOptions = {}) => startTestConsole(service, cleanup, opts);
  const signIn = (c: ConsoleUnderTest, user: TestUser) => signInTestConsole(service, c, user);
  const staff = () => service.user({ platformRoles: ['security_officer'] });
  /** Where a console keeps one person's outbox and replica. */
  const personFolder = (c: ConsoleUnderTest, user: TestUser) => ownerFolder(join(c.dataDir, 'incidents'), user.userId);

  const openIncident = async (c: Awaited<ReturnType<typeof startConsole>>, severity: 'P0' | 'P1' | 'P2' = 'P1') =>
    ok<'incidents.create'>(
      await c.call('incidents.create', {
        title: `Credential stuffing ${Math.random().toString(36).slice(2, 8)}`,
        severity,
        personalData: true,
        affectedTenantIds: [tenantId],
        // The console stamps edits with its own clock; the test service's clock runs ahead of it.
        detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
        awareAt: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    ).incident;

  /** What the service holds: the incident's timeline entries in commit order, and its audit events. */
  const serviceTimeline = (incidentId: string) =>
    service.db.platform((tx) =>
      tx.query<{ kind: string; body: Record<string, unknown> }>('SELECT kind, body FROM incident_timeline WHERE incident_id = $1 ORDER BY change_seq, at', [
        incidentId,
      ]),
    );
  const serviceAudit = (incidentId: string) =>
    service.db.platform((tx) =>
      tx.query<{ action: string }>('SELECT action FROM audit_events WHERE target = $1 ORDER BY at, seq', [`incident:${incidentId}`]),
    );
  const serviceIncident = (incidentId: string) =>
    service.db.platform(async (tx) => (await tx.query<{ severity: string; status: string }>('SELECT severity, status FROM incidents WHERE id = $1', [incidentId]))[0]);

  /** A synced console whose officer then wrote 40 notes offline: pending, and the link back. */
  const notesWrittenOffline = async (label: string) => {
    const c = await startConsole();
    await signIn(c, await staff());
    const incident = await openIncident(c);
    ok(await c.call('incidents.sync'));
    await c.link.cut();
    const texts = Array.from({ length: 40 }, (_, i) => `${label} ${i}`);
    for (const text of texts) ok(await edit(c, incident.id, { kind: 'note', text }));
    await c.link.restore();
    return { c, incident, texts };
  };
  /** Two officers' consoles, both synced with a new incident: the start of every conflict. */
  const twoResponders = async (severity: 'P0' | 'P1' | 'P2') => {
    const a = await startConsole();
    const b = await startConsole();
    await signIn(a, await staff());
    await signIn(b, await staff());
    const incident = await openIncident(a, severity);
    ok(await a.call('incidents.sync'));
    ok(await b.call('incidents.sync'));
    return { a, b, incident };
  };
  const edit = (c: Awaited<ReturnType<typeof startConsole>>, incidentId: string, change: Record<string, unknown>) =>
    c.call('incidents.edit', { incidentId, change });
  const view = async (c: Awaited<ReturnType<typeof startConsole>>, incidentId: string) => ok<'incidents.get'>(await c.call('incidents.get', { incidentId }));
  const untilSignedIn = async (c: Awaited<ReturnType<typeof startConsole>>) => {
    for (let i = 0; i < 100; i++) {
      if ((ok<'auth.state'>(await c.call('auth.state')) as AuthState).step === 'signed_in') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the session did not resume');
  };

  it('declares an incident offline: journaled and pending with provisional clocks, edited offline, opened once by the sync with its offline times', async () => {
    const c = await startConsole();
    const officer = await staff();
    await signIn(c, officer);
    ok(await c.call('incidents.sync'));
    await c.link.cut();
    service.advance(60_000);
    const detectedAt = new Date(service.now().getTime() - 5 * 60_000).toISOString();
    const declaredAt = service.now().toISOString();
    const title = `Declared offline ${Math.random().toString(36).slice(2, 8)}`;
    const ack = ok<'incidents.declare'>(await c.call('incidents.declare', { title, severity: 'P1', personalData: false, affectedTenantIds: [tenantId], detectedAt }));
    expect(ack).toMatchObject({ seq: 1, pending: true });
    // A detection time in the future is refused at once, and nothing is journaled.
    await expect(
      c.call('incidents.declare', { title: 'x', severity: 'P1', personalData: false, affectedTenantIds: [], detectedAt: new Date(service.now().getTime() + 3_600_000).toISOString() }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'incident_time_in_future' } });
    await expect(c.call('incidents.declare', { title: 'x', severity: 'P9', personalData: false, affectedTenantIds: [], detectedAt })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const pending = await view(c, ack.incidentId);
    expect(pending).toMatchObject({ declaredPending: true, incident: { title, status: 'detected', commanderId: officer.userId, createdAt: declaredAt } });
    expect(pending.tenants[tenantId]).toEqual(expect.any(String));
    expect(pending.deadlines[0]).toMatchObject({ id: 'classification', state: 'pending', dueAt: new Date(Date.parse(detectedAt) + 30 * 60_000).toISOString() });
    const listed = ok<'incidents.list'>(await c.call('incidents.list', {})).items.find((i) => i.incident.id === ack.incidentId);
    expect(listed).toMatchObject({ declaredPending: true, pendingEdits: 1 });
    service.advance(60_000);
    const triagedAt = service.now().toISOString();
    ok(await edit(c, ack.incidentId, { kind: 'status', to: 'triaged' }));
    // Lowering it needs a reason here as on the service; a reason must be one line of printable text.
    await expect(edit(c, ack.incidentId, { kind: 'severity', to: 'P2' })).resolves.toMatchObject({ ok: false, error: { code: 'downgrade_reason_required' } });
    await expect(edit(c, ack.incidentId, { kind: 'severity', to: 'P2', reason: 'bad\u0000' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(edit(c, ack.incidentId, { kind: 'status', to: 'resolved' })).resolves.toMatchObject({ ok: false, error: { code: 'unsent_notices_reason_required' } });
    expect(ok<'incidents.syncStatus'>(await c.call('incidents.syncStatus'))).toMatchObject({ pendingEdits: 2 });
    expect(await serviceIncident(ack.incidentId)).toBeUndefined();

    service.advance(10 * 60_000);
    await c.link.restore();
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    ok(await c.call('incidents.sync'));
    expect(await serviceIncident(ack.incidentId)).toEqual({ severity: 'P1', status: 'triaged' });
    expect((await serviceAudit(ack.incidentId)).map((e) => e.action)).toEqual(['incident.opened', 'incident.status_changed']);
    const synced = await view(c, ack.incidentId);
    // Declared and triaged after the last sync: the service kept both times, so classification was met in time.
    expect(synced).toMatchObject({ declaredPending: false, incident: { createdAt: declaredAt, classifiedAt: triagedAt } });
    expect(synced.deadlines[0]).toMatchObject({ id: 'classification', state: 'met' });
  });

  it('a declaration the service refuses becomes a conflict holding its edits; dropping it drops them too', async () => {
    const c = await startConsole();
    await signIn(c, await staff());
    ok(await c.call('incidents.sync'));
    const unknownTenant = '00000000-0000-4000-8000-0000000000aa';
    const ack = ok<'incidents.declare'>(
      await c.call('incidents.declare', { title: 'Refused', severity: 'P2', personalData: false, affectedTenantIds: [unknownTenant], detectedAt: service.now().toISOString() }),
    );
    ok(await edit(c, ack.incidentId, { kind: 'note', text: 'written on a refused declaration' }));
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ pendingEdits: 2, conflicts: 1 });
    const shown = await view(c, ack.incidentId);
    expect(shown.conflicts).toEqual([expect.objectContaining({ code: 'validation_failed', edit: expect.objectContaining({ kind: 'declare' }) })]);
    const seq = shown.conflicts[0]!.seq;
    await expect(c.call('incidents.resolveConflict', { seq, choice: 'keep_mine' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(ok<'incidents.resolveConflict'>(await c.call('incidents.resolveConflict', { seq, choice: 'keep_theirs' }))).toMatchObject({ pendingEdits: 0, conflicts: 0 });
    expect(ok<'incidents.list'>(await c.call('incidents.list', {})).items.map((i) => i.incident.id)).not.toContain(ack.incidentId);
    expect(await serviceIncident(ack.incidentId)).toBeUndefined();
  });

  it('journals offline edits as pending, shows them, then syncs them exactly once, in order, audited', async () => {
    const c = await startConsole();
    const officer = await staff();
    await signIn(c, officer);
    const incident = await openIncident(c);
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    const before = (await serviceTimeline(incident.id)).length;

    await c.link.cut();
    const acks = [];
    // A few seconds apart, after the sync above: the service keeps these times, however late they arrive.
    const offlineEdit = async (change: Record<string, unknown>) => {
      service.advance(1000);
      return ok<'incidents.edit'>(await edit(c, incident.id, change));
    };
    acks.push(await offlineEdit({ kind: 'note', text: 'Blocked the attacking ASN at the edge' }));
    acks.push(await offlineEdit({ kind: 'severity', to: 'P0' }));
    acks.push(await offlineEdit({ kind: 'status', to: 'triaged' }));
    acks.push(await offlineEdit({ kind: 'notification_sent', notice: 'customer', tenantId }));
    acks.push(await offlineEdit({ kind: 'note', text: 'Customer notice sent by phone' }));
    const recordedTimes = Array.from({ length: 5 }, (_, i) => new Date(service.now().getTime() - (4 - i) * 1000).toISOString());
    expect(acks.map((a) => [a.seq, a.pending])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, true],
      [5, true],
    ]);
    // A change that cannot apply to the incident as it stands is refused at once, not journaled.
    await expect(edit(c, incident.id, { kind: 'status', to: 'review_published' })).resolves.toMatchObject({ ok: false, error: { code: 'transition_not_allowed' } });

    const offline = await view(c, incident.id);
    expect(offline.incident).toMatchObject({ severity: 'P0', status: 'triaged' });
    expect(offline.timeline.filter((t) => t.pending).map((t) => t.entry.kind)).toEqual(['note', 'severity_change', 'status_change', 'notification_sent', 'note']);
    // The customer-notice clock started at the offline triage and the offline "sent" stamped it.
    expect(offline.deadlines.find((d) => d.id === 'customer_notice')).toMatchObject({ state: 'met' });
    const listed = ok<'incidents.list'>(await c.call('incidents.list', { severity: 'P0' }));
    expect(listed.items.map((i) => [i.incident.id, i.pendingEdits])).toEqual([[incident.id, 5]]);
    expect(ok<'incidents.list'>(await c.call('incidents.list', { severity: 'P1' })).items.map((i) => i.incident.id)).not.toContain(incident.id);
    // The Tenant page's link narrows the list to the incidents affecting that tenant.
    expect(ok<'incidents.list'>(await c.call('incidents.list', { tenantId })).items.map((i) => i.incident.id)).toContain(incident.id);
    expect(ok<'incidents.list'>(await c.call('incidents.list', { tenantId: '00000000-0000-4000-8000-0000000000aa' })).items).toEqual([]);

    const failed = ok<'incidents.sync'>(await c.call('incidents.sync'));
    expect(failed).toMatchObject({ pendingEdits: 5, problem: { code: 'service_unreachable' } });
    expect(ok<'connection.retry'>(await c.call('connection.retry'))).toMatchObject({ state: 'offline', pendingEdits: 5 });
    expect(await serviceTimeline(incident.id)).toHaveLength(before);

    // Back online ten minutes later.
    service.advance(10 * 60_000);
    const receivedAt = service.now().toISOString();
    await c.link.restore();
    expect(ok<'connection.retry'>(await c.call('connection.retry'))).toMatchObject({ pendingEdits: expect.any(Number) });
    const synced = ok<'incidents.sync'>(await c.call('incidents.sync'));
    expect(synced).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    // A second sync sends nothing again.
    ok<'incidents.sync'>(await c.call('incidents.sync'));

    const onService = (await serviceTimeline(incident.id)).slice(before);
    expect(onService.map((e) => e.kind)).toEqual(['note', 'severity_change', 'status_change', 'notification_sent', 'note']);
    expect(onService[0]?.body).toMatchObject({ text: 'Blocked the attacking ASN at the edge' });
    expect(await serviceIncident(incident.id)).toEqual({ severity: 'P0', status: 'triaged' });
    expect((await serviceAudit(incident.id)).map((e) => e.action)).toEqual([
      'incident.opened',
      'incident.note_added',
      'incident.severity_changed',
      'incident.status_changed',
      'incident.notice_sent',
      'incident.note_added',
    ]);
    const online = await view(c, incident.id);
    expect(online.timeline.filter((t) => t.pending)).toEqual([]);
    expect(online.timeline.map((t) => t.entry.kind)).toEqual(['note', 'severity_change', 'status_change', 'notification_sent', 'note']);
    // Made after the device's last sync: each keeps its offline time and shows when it was received.
    expect(online.timeline.map((t) => [t.entry.at, t.entry.recordedAt, t.entry.receivedAt])).toEqual(recordedTimes.map((at) => [at, at, receivedAt]));
    expect(ok<'connection.status'>(await c.call('connection.status'))).toMatchObject({ state: 'online', pendingEdits: 0 });

    // The replica holds the log's recent events too, for reading offline.
    const replica = (await loadReplica(join(personFolder(c, officer), 'replica.db'), Buffer.from((await c.vault.get(ownerKeyAccount('replica-key', officer.userId)))!, 'base64')))!;
    const notes = replica.auditEvents({ tenantId: '00000000-0000-0000-0000-000000000000', action: 'incident.note_added', limit: 1000 });
    expect(notes.filter((e) => e.target === `incident:${incident.id}`)).toHaveLength(2);
    replica.close();

    // The review and a notice as Markdown, saved where the core chooses (browser mode: <dataDir>/exports).
    const review = ok<'incidents.export'>(await c.call('incidents.export', { incidentId: incident.id, document: 'review' }));
    const notice = ok<'incidents.export'>(await c.call('incidents.export', { incidentId: incident.id, document: 'regulator', tenantId }));
    if (review.format !== 'markdown' || notice.format !== 'markdown') throw new Error('expected Markdown exports');
    expect(review.saved).toBe(true);
    expect(readFileSync(join(c.dataDir, 'exports', review.filename), 'utf8')).toBe(review.markdown);
    expect(review.markdown).toContain(incident.title);
    expect(readFileSync(join(c.dataDir, 'exports', notice.filename), 'utf8')).toBe(notice.markdown);
    await expect(c.call('incidents.export', { incidentId: incident.id, document: 'review', path: '/tmp/x.md' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('surfaces an edit whose base moved on as a conflict; keep mine re-applies it on the new version, notes pass', async () => {
    const { a, b, incident } = await twoResponders('P1');

    await a.link.cut();
    const mine = ok<'incidents.edit'>(await edit(a, incident.id, { kind: 'severity', to: 'P2', reason: 'No data left the building' }));
    ok(await edit(a, incident.id, { kind: 'note', text: 'Downgraded: no data left the building' }));
    ok(await edit(b, incident.id, { kind: 'severity', to: 'P0' }));
    expect(ok<'incidents.sync'>(await b.call('incidents.sync'))).toMatchObject({ pendingEdits: 0 });

    await a.link.restore();
    const afterPush = ok<'incidents.sync'>(await a.call('incidents.sync'));
    // The note waits behind the conflict so the incident's edits keep their order; nothing is dropped.
    expect(afterPush).toMatchObject({ pendingEdits: 2, conflicts: 1 });
    const conflicted = await view(a, incident.id);
    expect(conflicted.conflicts).toEqual([
      expect.objectContaining({ seq: mine.seq, code: 'edit_conflict', edit: expect.objectContaining({ kind: 'severity', to: 'P2' }), theirs: expect.objectContaining({ severity: 'P0' }) }),
    ]);
    expect(await serviceIncident(incident.id)).toMatchObject({ severity: 'P0' });

    const resolved = ok<'incidents.resolveConflict'>(await a.call('incidents.resolveConflict', { seq: mine.seq, choice: 'keep_mine' }));
    expect(resolved).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    expect(await serviceIncident(incident.id)).toMatchObject({ severity: 'P2' });
    const kinds = (await serviceTimeline(incident.id)).map((e) => [e.kind, e.body.to ?? e.body.text]);
    expect(kinds).toEqual([
      ['severity_change', 'P0'],
      ['severity_change', 'P2'],
      ['note', 'Downgraded: no data left the building'],
    ]);
    await expect(a.call('incidents.resolveConflict', { seq: mine.seq, choice: 'keep_mine' })).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('keep theirs drops the edit and records what was dropped in the incident timeline', async () => {
    const { a, b, incident } = await twoResponders('P1');
    await a.link.cut();
    const mine = ok<'incidents.edit'>(await edit(a, incident.id, { kind: 'severity', to: 'P3', reason: 'Contained to one host' }));
    ok(await edit(b, incident.id, { kind: 'severity', to: 'P0' }));
    ok(await b.call('incidents.sync'));
    await a.link.restore();
    expect(ok<'incidents.sync'>(await a.call('incidents.sync'))).toMatchObject({ conflicts: 1, pendingEdits: 1 });
    expect(ok<'incidents.resolveConflict'>(await a.call('incidents.resolveConflict', { seq: mine.seq, choice: 'keep_theirs' }))).toMatchObject({
      pendingEdits: 0,
      conflicts: 0,
    });
    expect(await serviceIncident(incident.id)).toMatchObject({ severity: 'P0' });
    const last = (await serviceTimeline(incident.id)).at(-1);
    expect(last?.kind).toBe('note');
    expect(String(last?.body.text)).toMatch(/^Offline edit not applied \(kept the service's version \d+\): severity → P3, made /);
    expect((await view(a, incident.id)).incident.severity).toBe('P0');
  });

  it.each([
    ['keep_mine', 'P3', (text: unknown) => expect(text).toBeUndefined()],
    ['keep_theirs', 'P0', (text: unknown) => expect(String(text)).toMatch(/^Offline edit not applied \(kept the service's version 2\): severity → P3, made /)],
    ['merge_notes', 'P0', (text: unknown) => expect(text).toBe('I had P3: the leaked keys were test keys.\nThe service has P0 now; keeping it until we know more.')],
  ] as const)('%s: a resolution journaled before a crash applies after restart, and a resend after that applies nothing more', async (choice, severity, lastNote) => {
    const a = await startConsole();
    const b = await startConsole();
    const responder = await staff();
    const other = await staff();
    await signIn(a, responder);
    await signIn(b, other);
    const incident = await openIncident(a, 'P1');
    ok(await a.call('incidents.sync'));
    ok(await b.call('incidents.sync'));

    // Two people change the same field; one of them is offline.
    await a.link.cut();
    const mine = ok<'incidents.edit'>(await edit(a, incident.id, { kind: 'severity', to: 'P3', reason: 'Contained to one host' }));
    ok(await edit(b, incident.id, { kind: 'severity', to: 'P0' }));
    ok(await b.call('incidents.sync'));
    await a.link.restore();
    expect(ok<'incidents.sync'>(await a.call('incidents.sync'))).toMatchObject({ conflicts: 1, pendingEdits: 1 });
    const [conflict] = (await view(a, incident.id)).conflicts;
    // Who moved it on, and when, as the offline copy knows after the pull.
    expect(conflict).toMatchObject({ seq: mine.seq, theirs: { severity: 'P0', version: 2 }, theirChange: { actorId: other.userId, entry: { kind: 'severity_change', to: 'P0' } } });

    // The answer is journaled while the service cannot be reached, then the console dies before any push.
    await a.link.cut();
    const input =
      choice === 'merge_notes'
        ? { seq: mine.seq, choice, text: '  I had P3: the leaked keys were test keys.\nThe service has P0 now; keeping it until we know more.  ' }
        : { seq: mine.seq, choice };
    expect(ok<'incidents.resolveConflict'>(await a.call('incidents.resolveConflict', input))).toMatchObject({ conflicts: 0, pendingEdits: 1, problem: { code: 'service_unreachable' } });
    await a.close();
    const outboxPath = join(personFolder(a, responder), 'outbox.journal');
    const journaled = readFileSync(outboxPath);
    const before = (await serviceTimeline(incident.id)).length;

    const again = await startConsole({ vault: a.vault, dataDir: a.dataDir, link: a.link });
    await a.link.restore();
    await again.call('connection.retry');
    await untilSignedIn(again);
    expect(ok<'incidents.sync'>(await again.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    const applied = await serviceTimeline(incident.id);
    expect(applied).toHaveLength(before + 1);
    expect(await serviceIncident(incident.id)).toMatchObject({ severity });
    const last = applied.at(-1);
    if (choice === 'keep_mine') expect(last).toMatchObject({ kind: 'severity_change', body: { from: 'P0', to: 'P3' } });
    else expect(last?.kind).toBe('note');
    lastNote(choice === 'keep_mine' ? undefined : last?.body.text);
    const shown = await view(again, incident.id);
    expect(shown.incident.severity).toBe(severity);
    expect(shown.timeline.filter((t) => t.pending)).toEqual([]);
    await again.close();

    // As if the service had applied it but the acknowledgement never reached the disk: the same requests go out again.
    writeFileSync(outboxPath, journaled);
    const third = await startConsole({ vault: a.vault, dataDir: a.dataDir, link: a.link });
    await third.call('connection.retry');
    await untilSignedIn(third);
    expect(ok<'incidents.syncStatus'>(await third.call('incidents.syncStatus'))).toMatchObject({ pendingEdits: 1 });
    expect(ok<'incidents.sync'>(await third.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    expect(await serviceTimeline(incident.id)).toEqual(applied);
    expect(await serviceIncident(incident.id)).toMatchObject({ severity });
  });

  it('refuses a merge note that is empty once trimmed, and keeps the conflict open', async () => {
    const { a, b, incident } = await twoResponders('P1');
    await a.link.cut();
    const mine = ok<'incidents.edit'>(await edit(a, incident.id, { kind: 'status', to: 'triaged' }));
    ok(await edit(b, incident.id, { kind: 'severity', to: 'P2', reason: 'Smaller than feared' }));
    ok(await b.call('incidents.sync'));
    await a.link.restore();
    ok(await a.call('incidents.sync'));
    for (const text of ['   ', 'x'.repeat(20_001)]) {
      await expect(a.call('incidents.resolveConflict', { seq: mine.seq, choice: 'merge_notes', text })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    await expect(a.call('incidents.resolveConflict', { seq: mine.seq, choice: 'merge_notes' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(a.call('incidents.resolveConflict', { seq: mine.seq, choice: 'keep_theirs', text: 'no' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(ok<'incidents.syncStatus'>(await a.call('incidents.syncStatus'))).toMatchObject({ conflicts: 1, pendingEdits: 1 });
  });

  it('an incident never synced here is "not in your offline copy yet" while offline, and loads once a sync reaches the service', async () => {
    const a = await startConsole();
    const b = await startConsole();
    await signIn(a, await staff());
    await signIn(b, await staff());
    ok(await a.call('incidents.sync'));
    const incident = await openIncident(b, 'P2');
    await a.link.cut();
    const missing = await a.call('incidents.get', { incidentId: incident.id });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_in_offline_copy' } });
    expect((missing as { error: { message: string } }).error.message).toMatch(/^This incident is not in your offline copy yet; it will load when the service is reachable \(last synced \d{4}-\d\d-\d\dT/);
    await expect(edit(a, incident.id, { kind: 'note', text: 'x' })).resolves.toMatchObject({ ok: false, error: { code: 'not_in_offline_copy' } });
    await a.link.restore();
    ok(await a.call('incidents.sync'));
    expect((await view(a, incident.id)).incident.title).toBe(incident.title);
  });

  it('corrects details offline: pending with the clocks restarted at once, applied on sync; removing a notified tenant is refused at once', async () => {
    const c = await startConsole();
    await signIn(c, await staff());
    const incident = await openIncident(c, 'P1');
    ok(await c.call('incidents.sync'));
    await c.link.cut();
    const verifiedAt = new Date(Date.now() - 1_800_000).toISOString();
    ok(await edit(c, incident.id, { kind: 'details', changes: { verifiedAt, title: 'Credential stuffing (verified)' } }));
    const offline = await view(c, incident.id);
    expect(offline.incident).toMatchObject({ verifiedAt, title: 'Credential stuffing (verified)' });
    expect(offline.deadlines.find((d) => d.id === 'breach_notice')).toMatchObject({ state: 'pending', startedAt: verifiedAt });
    expect(offline.timeline.at(-1)).toMatchObject({ pending: true, entry: { kind: 'details_change', to: { verifiedAt } } });
    await expect(edit(c, incident.id, { kind: 'details', changes: { verifiedAt: '2000-01-01T00:00:00.000Z' } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'incident_time_before_detection' },
    });
    await c.link.restore();
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    expect((await serviceTimeline(incident.id)).at(-1)).toMatchObject({ kind: 'details_change', body: { to: { verifiedAt, title: 'Credential stuffing (verified)' } } });
    ok(await edit(c, incident.id, { kind: 'notification_sent', notice: 'breach', tenantId }));
    ok(await c.call('incidents.sync'));
    await expect(edit(c, incident.id, { kind: 'details', changes: { affectedTenantIds: [] } })).resolves.toMatchObject({ ok: false, error: { code: 'tenant_already_notified' } });
  });

  it('drops from a tenant’s offline copy an incident that no longer affects that tenant', async () => {
    const other = await service.tenant();
    const officer = await startConsole();
    await signIn(officer, await staff());
    const incident = await openIncident(officer, 'P2');
    ok(await edit(officer, incident.id, { kind: 'details', changes: { affectedTenantIds: [tenantId, other] } }));
    ok(await officer.call('incidents.sync'));

    const admin = await startConsole();
    await signIn(admin, await service.user({ memberships: [{ tenantId: other, role: 'admin' }] }));
    ok(await admin.call('incidents.sync'));
    expect(ok<'incidents.list'>(await admin.call('incidents.list')).items.map((i) => i.incident.id)).toContain(incident.id);

    ok(await edit(officer, incident.id, { kind: 'details', changes: { affectedTenantIds: [tenantId] } }));
    ok(await officer.call('incidents.sync'));
    ok(await admin.call('incidents.sync'));
    expect(ok<'incidents.list'>(await admin.call('incidents.list')).items.map((i) => i.incident.id)).not.toContain(incident.id);
    expect(await admin.call('incidents.get', { incidentId: incident.id })).toMatchObject({ ok: false, error: { code: 'not_in_offline_copy' } });
    // The officer's platform copy keeps it.
    expect(ok<'incidents.list'>(await officer.call('incidents.list')).items.map((i) => i.incident.id)).toContain(incident.id);
  });

  it('converges when the network drops at random moments during sync: nothing lost, nothing applied twice', async () => {
    const { c, incident, texts } = await notesWrittenOffline('flaky');
    let drops = 0;
    for (let attempt = 0; attempt < 50; attempt++) {
      // Cut the link a few milliseconds into the sync: requests die in flight, some after the service applied them.
      const syncing = c.call('incidents.sync');
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)));
      await c.link.cut();
      drops++;
      await syncing;
      await c.link.restore();
      if (ok<'incidents.syncStatus'>(await c.call('incidents.syncStatus')).pendingEdits === 0) break;
    }
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    const notes = (await serviceTimeline(incident.id)).filter((e) => e.kind === 'note').map((e) => e.body.text);
    expect(drops).toBeGreaterThan(0);
    expect(notes).toEqual(texts);
  });

  it('converges when the service is stopped and restarted at random during sync: nothing lost, nothing applied twice', async () => {
    const { c, incident, texts } = await notesWrittenOffline('restart');
    let restarts = 0;
    const editsReceived = () => service.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/edits')).length;
    const receivedBefore = editsReceived();
    for (let attempt = 0; attempt < 20; attempt++) {
      // The service goes down, as in a crash, while one of the pushed edits (picked at random) is applied but
      // not yet answered, and comes back on the same port and data: the console must send it again.
      let nth = Math.floor(Math.random() * 6);
      const held = service.holdNextAnswer((r) => r.method === 'POST' && r.path.endsWith('/edits') && nth-- === 0);
      let settled = false;
      const syncing = c.call('incidents.sync').finally(() => (settled = true));
      await Promise.race([held, syncing]);
      if (settled) break;
      await service.restart({ abrupt: true });
      restarts++;
      await syncing;
    }
    service.stopHolding();
    await c.call('connection.retry');
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    const notes = (await serviceTimeline(incident.id)).filter((e) => e.kind === 'note').map((e) => e.body.text);
    // Each restart cut an edit off in flight: it was sent again, and applied once.
    const resent = editsReceived() - receivedBefore - texts.length;
    expect(restarts).toBeGreaterThan(0);
    expect(resent).toBeGreaterThanOrEqual(restarts);
    expect(notes).toEqual(texts);
    process.stdout.write(`service restarts during sync: ${restarts} restarts, ${resent} edits sent again, ${notes.length} notes applied once each\n`);
  });

  it('raises a desktop alert on the console of the person an incident is assigned to, once', async () => {
    const a = await startConsole();
    const b = await startConsole();
    const responder = await staff();
    await signIn(a, responder);
    await signIn(b, await staff());
    const alerts: unknown[] = [];
    a.core.subscribe((event, payload) => {
      if (event === 'incidents.alert') alerts.push(payload);
    });
    const incident = await openIncident(b, 'P2');
    ok(await a.call('incidents.sync'));
    ok(await b.call('incidents.sync'));
    ok(await edit(b, incident.id, { kind: 'assignment', commanderId: null, assigneeIds: [responder.userId] }));
    ok(await b.call('incidents.sync'));
    ok(await a.call('incidents.sync'));
    await expect.poll(() => alerts.filter((x) => (x as { incidentId: string }).incidentId === incident.id)).toEqual([
      { kind: 'assigned', incidentId: incident.id, title: 'P2 incident assigned to you', message: `You were assigned to “${incident.title}”.`, dueAt: null },
    ]);
    ok(await a.call('incidents.sync'));
    expect(alerts.filter((x) => (x as { incidentId: string }).incidentId === incident.id)).toHaveLength(1);
  });

  it('refuses a damaged replica with a clear error, keeps the outbox, and rebuilds from the service on resync', async () => {
    const first = await startConsole();
    const user = await staff();
    await signIn(first, user);
    const incident = await openIncident(first);
    ok(await first.call('incidents.sync'));
    await first.link.cut();
    ok(await edit(first, incident.id, { kind: 'note', text: 'Written on the plane' }));
    await first.close();

    const replicaPath = join(personFolder(first, user), 'replica.db');
    const outboxPath = join(personFolder(first, user), 'outbox.journal');
    const damaged = readFileSync(replicaPath);
    damaged[damaged.length - 40]! ^= 0xff;
    writeFileSync(replicaPath, damaged);
    const outboxBytes = readFileSync(outboxPath);

    const again = await startConsole({ vault: first.vault, dataDir: first.dataDir, link: first.link });
    // The session cannot resume while the service is away: nobody is signed in, so nothing is read.
    expect(ok<'incidents.syncStatus'>(await again.call('incidents.syncStatus'))).toEqual({
      syncing: false,
      pendingEdits: 0,
      conflicts: 0,
      lastSyncedAt: null,
      problem: null,
      progress: null,
    });
    await expect(again.call('incidents.list')).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(readFileSync(outboxPath).equals(outboxBytes)).toBe(true);
    expect(readFileSync(replicaPath).equals(damaged)).toBe(true);

    await first.link.restore();
    await again.call('connection.retry');
    await untilSignedIn(again);
    const refused = ok<'incidents.syncStatus'>(await again.call('incidents.syncStatus'));
    expect(refused).toMatchObject({ problem: { code: 'replica_corrupt' } });
    expect(refused.problem?.message).toContain('Re-sync from the service');
    expect(readFileSync(replicaPath).equals(damaged)).toBe(true);
    const rebuilt = ok<'incidents.resync'>(await again.call('incidents.resync'));
    expect(rebuilt).toMatchObject({ pendingEdits: 0, problem: null });
    expect(ok<'incidents.list'>(await again.call('incidents.list')).items.map((i) => i.incident.id)).toContain(incident.id);
    expect((await serviceTimeline(incident.id)).filter((e) => e.body.text === 'Written on the plane')).toHaveLength(1);
    expect(statSync(outboxPath).isFile()).toBe(true);
    expect(readFileSync(replicaPath).equals(damaged)).toBe(false);
  });
});
