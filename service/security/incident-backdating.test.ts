/**
 * Threat: a client whose clock (or offline journal) lies. A responder's laptop
 * dates its own edits; dated back, a triage or a notice made 70 hours late would
 * meet its deadline. The service keeps its receipt time on every edit and judges
 * deadlines by it, except for an offline edit claiming a time after its session's
 * last changes-feed pull (known to the service, not to the client alone).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IncidentChangesPageSchema, IncidentDetailSchema, IncidentEditResultSchema, type IncidentDetail, type IncidentEditResult } from '../../shared/incidents/api';
import { offlineTiming } from '../../shared/incidents/edit-time';
import type { IncidentEdit } from '../../shared/incidents/edits';
import { SessionTokensSchema, type SessionTokens } from '../../shared/identity/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { PLATFORM_TENANT_ID } from '../db/db';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser, type TestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

const MIN = 60_000;
const HOUR = 60 * MIN;

type Draft = IncidentEdit extends infer E ? (E extends unknown ? Omit<E, 'incidentId'> : never) : never;

describe.each(TEST_ENGINES)('backdated incident edits on %s', (kind) => {
  let clock = new Date('2026-12-01T03:00:00.000Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const at = (base: Date, plus: number) => new Date(base.getTime() + plus).toISOString();
  const svc = inProcessService(kind, { now: () => clock });
  let tenant: TenantId;
  let responder: TestUser;

  /** A laptop: one session, renewed with its refresh token as the real one does after a long time offline. */
  const device = async () => {
    responder ??= await createTestUser(svc.t.db, svc.keys, svc.hasher, { mfa: false, platformRoles: ['incident_responder'] });
    tenant ??= await createTestTenant(svc.t.db, 'Tenant A');
    let tokens: SessionTokens = await svc.session(responder);
    const sessionId = tokens.session.id;
    const renew = async () => {
      const res = await svc.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
      expect(res.statusCode, res.body).toBe(200);
      tokens = SessionTokensSchema.parse(res.json());
      expect(tokens.session.id).toBe(sessionId);
    };
    /** The access token, refreshed first once it has expired: the same session throughout. */
    const token = async () => {
      if (Date.parse(tokens.accessExpiresAt) <= clock.getTime()) await renew();
      return tokens.accessToken;
    };
    return {
      renew,
      /** What sync pulls: the whole changes feed. */
      async pull() {
        let cursor = '0';
        for (;;) {
          const res = await svc.call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/changes?cursor=${cursor}&limit=500`, { token: await token() });
          expect(res.statusCode, res.body).toBe(200);
          const page = IncidentChangesPageSchema.parse(res.json());
          cursor = page.nextCursor;
          if (!page.more) return;
        }
      },
      push: async (incidentId: string, edit: Draft, idempotencyKey: string = randomUUID()) =>
        svc.call('POST', `/v1/incidents/${incidentId}/edits`, { token: await token(), body: { idempotencyKey, edit: { ...edit, incidentId } } }),
      async open(severity: 'P0' | 'P1'): Promise<IncidentDetail> {
        const res = await svc.call('POST', '/v1/incidents', {
          token: await token(),
          body: { title: 'Backdating target', severity, personalData: false, affectedTenantIds: [tenant], detectedAt: clock.toISOString() },
        });
        expect(res.statusCode, res.body).toBe(201);
        return IncidentDetailSchema.parse(res.json());
      },
      async read(incidentId: string): Promise<IncidentDetail> {
        const res = await svc.call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/${incidentId}`, { token: await token() });
        expect(res.statusCode, res.body).toBe(200);
        return IncidentDetailSchema.parse(res.json());
      },
    };
  };
  const applied = (res: { statusCode: number; body: string; json(): unknown }): IncidentEditResult => {
    expect(res.statusCode, res.body).toBe(200);
    return IncidentEditResultSchema.parse(res.json());
  };
  const deadline = (d: IncidentDetail, id: string) => d.deadlines.find((x) => x.id === id);

  it('an online client with its clock set back 70 hours cannot meet the classification or notice deadline: both count from receipt', async () => {
    const laptop = await device();
    const opened = await laptop.open('P0');
    const t0 = new Date(opened.incident.createdAt);
    await laptop.pull();
    // 70 hours on, the laptop has kept syncing; its clock says it is ten minutes after detection.
    tick(70 * HOUR);
    await laptop.renew();
    await laptop.pull();
    const receipt = clock.toISOString();
    const triage = applied(await laptop.push(opened.incident.id, { kind: 'status', baseVersion: 1, to: 'triaged', at: at(t0, 10 * MIN) }));
    expect(triage.incident.classifiedAt).toBe(receipt);
    expect(triage.entry).toMatchObject({ at: receipt, recordedAt: at(t0, 10 * MIN), receivedAt: receipt });
    expect(offlineTiming(triage.entry)).toEqual({ recordedAt: at(t0, 10 * MIN), receivedAt: receipt, counted: 'received' });
    expect(deadline(await laptop.read(opened.incident.id), 'classification')).toMatchObject({ state: 'missed', satisfiedAt: receipt, lateByMs: 70 * HOUR - 30 * MIN });

    // A day and a half later the customer notice goes out, dated an hour after triage.
    tick(36 * HOUR);
    await laptop.renew();
    await laptop.pull();
    const sent = applied(await laptop.push(opened.incident.id, { kind: 'notification_sent', notice: 'customer', tenantId: tenant, at: at(new Date(receipt), HOUR) }));
    expect(sent.entry).toMatchObject({ at: clock.toISOString(), recordedAt: at(new Date(receipt), HOUR) });
    const detail = await laptop.read(opened.incident.id);
    expect(detail.notices.find((n) => n.kind === 'customer')?.sentAt).toBe(clock.toISOString());
    expect(deadline(detail, 'customer_notice')).toMatchObject({ state: 'missed', satisfiedAt: clock.toISOString(), lateByMs: 12 * HOUR });
    // The audit event keeps all three times.
    const audit = (await svc.t.db.platform(listAuditEvents)).filter((e) => e.target === `incident:${opened.incident.id}` && e.action === 'incident.status_changed');
    expect(audit.map((e) => [e.details.at, e.details.recordedAt, e.details.receivedAt])).toEqual([[receipt, at(t0, 10 * MIN), receipt]]);
  });

  it('an offline edit claiming a time before its session last synced counts from receipt; nor may a session borrow another session\'s sync', async () => {
    const laptop = await device();
    const opened = await laptop.open('P1');
    const t0 = new Date(opened.incident.createdAt);
    tick(20 * MIN);
    await laptop.pull();
    // Offline for six hours; the journal claims a triage at minute 10, before the sync at minute 20.
    tick(6 * HOUR);
    await laptop.renew();
    const claimed = at(t0, 10 * MIN);
    const r = applied(await laptop.push(opened.incident.id, { kind: 'status', baseVersion: 1, to: 'triaged', at: claimed }));
    expect(r.incident.classifiedAt).toBe(clock.toISOString());
    expect(r.entry).toMatchObject({ at: clock.toISOString(), recordedAt: claimed, receivedAt: clock.toISOString() });
    expect(deadline(await laptop.read(opened.incident.id), 'classification')).toMatchObject({ state: 'missed' });

    // A second session of the same person, which never pulled, has no offline window at all:
    // a claim after the first session's sync still counts from receipt.
    const other = await device();
    const note = applied(await other.push(opened.incident.id, { kind: 'note', text: 'Written offline, honestly.', at: at(t0, 25 * MIN) }));
    expect(note.entry).toMatchObject({ at: clock.toISOString(), recordedAt: at(t0, 25 * MIN) });
    // A resend returns the first result: receipt time does not move with it.
    tick(MIN);
    const key = randomUUID();
    const first = applied(await other.push(opened.incident.id, { kind: 'note', text: 'Resent.', at: at(t0, 25 * MIN) }, key));
    tick(MIN);
    expect(applied(await other.push(opened.incident.id, { kind: 'note', text: 'Resent.', at: at(t0, 25 * MIN) }, key))).toEqual(first);
  });

  it('an offline edit held behind a conflict keeps its time after the device pulled again; the hold is that session\'s and that incident\'s alone', async () => {
    const laptop = await device();
    const colleague = await device();
    const opened = await laptop.open('P0');
    const elsewhere = await laptop.open('P0');
    const t0 = new Date(opened.incident.createdAt);
    tick(MIN);
    await laptop.pull();
    // While the laptop is offline a colleague lowers the severity: the laptop's triage (made on version 1) will conflict.
    tick(4 * MIN);
    applied(await colleague.push(opened.incident.id, { kind: 'severity', baseVersion: 1, to: 'P1', reason: 'Fewer keys leaked', at: clock.toISOString() }));
    tick(3 * HOUR);
    const triagedAt = at(t0, 10 * MIN);
    expect(errorOf(await laptop.push(opened.incident.id, { kind: 'status', baseVersion: 1, to: 'triaged', at: triagedAt }))).toEqual({ status: 409, code: 'edit_conflict' });
    // The console pulls to show the conflict; the user answers "keep mine" a while later, then the held notice goes out.
    await laptop.pull();
    tick(5 * MIN);
    const keepMine = applied(await laptop.push(opened.incident.id, { kind: 'status', baseVersion: 2, to: 'triaged', at: triagedAt }));
    expect(keepMine.incident.classifiedAt).toBe(triagedAt);
    const sentAt = at(t0, 20 * MIN);
    const notice = applied(await laptop.push(opened.incident.id, { kind: 'notification_sent', notice: 'customer', tenantId: tenant, at: sentAt }));
    expect(notice.entry).toMatchObject({ at: sentAt, recordedAt: sentAt });
    const detail = await laptop.read(opened.incident.id);
    expect(deadline(detail, 'classification')).toMatchObject({ state: 'met', satisfiedAt: triagedAt });
    expect(deadline(detail, 'customer_notice')).toMatchObject({ state: 'met', satisfiedAt: sentAt });

    // Not before the sync the hold began at, not for another incident, not from another session.
    expect(applied(await laptop.push(opened.incident.id, { kind: 'note', text: 'Before the sync', at: at(t0, 30_000) })).entry.at).toBe(clock.toISOString());
    expect(applied(await laptop.push(elsewhere.incident.id, { kind: 'note', text: 'Other incident', at: at(t0, 20 * MIN) })).entry.at).toBe(clock.toISOString());
    expect(applied(await colleague.push(opened.incident.id, { kind: 'note', text: 'Other session', at: at(t0, 20 * MIN) })).entry.at).toBe(clock.toISOString());
  });

  it('refuses an edit dated before the incident was opened (even within the offline window) or too far ahead, with stable codes, storing nothing', async () => {
    const laptop = await device();
    await laptop.pull();
    tick(HOUR);
    const opened = await laptop.open('P0');
    const t0 = new Date(opened.incident.createdAt);
    tick(2 * HOUR);
    const timelineRows = () => svc.t.engine.query('SELECT id FROM incident_timeline WHERE incident_id = $1', [opened.incident.id]);
    const auditCount = async () => (await svc.t.db.platform(listAuditEvents)).length;
    const before = { rows: await timelineRows(), audit: await auditCount() };
    // Half an hour before opening: after the session's last sync, but nothing about the incident happened then.
    expect(errorOf(await laptop.push(opened.incident.id, { kind: 'status', baseVersion: 1, to: 'triaged', at: at(t0, -30 * MIN) }))).toEqual({
      status: 400,
      code: 'incident_time_before_creation',
    });
    // Six minutes before: beyond the five a clock may be slow.
    expect(errorOf(await laptop.push(opened.incident.id, { kind: 'note', text: 'Slow clock', at: at(t0, -6 * MIN) }))).toEqual({
      status: 400,
      code: 'incident_time_before_creation',
    });
    expect(errorOf(await laptop.push(opened.incident.id, { kind: 'note', text: 'Long ago', at: at(t0, -400 * 24 * HOUR) }))).toEqual({
      status: 400,
      code: 'incident_time_before_creation',
    });
    expect(errorOf(await laptop.push(opened.incident.id, { kind: 'note', text: 'Tomorrow', at: at(clock, 6 * MIN) }))).toEqual({ status: 400, code: 'incident_time_in_future' });
    expect({ rows: await timelineRows(), audit: await auditCount() }).toEqual(before);
    // A little ahead or behind (within the allowed skew) is accepted, and counts from receipt.
    const ahead = applied(await laptop.push(opened.incident.id, { kind: 'note', text: 'Clock runs fast', at: at(clock, 4 * MIN) }));
    expect(ahead.entry).toMatchObject({ at: clock.toISOString(), recordedAt: at(clock, 4 * MIN), receivedAt: clock.toISOString() });
    const behind = applied(await laptop.push(opened.incident.id, { kind: 'status', baseVersion: 1, to: 'triaged', at: at(t0, -4 * MIN) }));
    expect(behind.incident.classifiedAt).toBe(clock.toISOString());
    expect(behind.entry).toMatchObject({ at: clock.toISOString(), recordedAt: at(t0, -4 * MIN) });
  });

  it('a legitimate offline edit made after the last sync keeps its time, meets its deadline, and shows recorded and received times', async () => {
    const laptop = await device();
    const opened = await laptop.open('P0');
    const t0 = new Date(opened.incident.createdAt);
    tick(MIN);
    await laptop.pull();
    // The network drops; the responder triages at minute 12 and notifies at minute 40; it syncs five hours later.
    tick(5 * HOUR);
    await laptop.renew();
    const triagedAt = at(t0, 12 * MIN);
    const sentAt = at(t0, 40 * MIN);
    const receipt = clock.toISOString();
    const triage = applied(await laptop.push(opened.incident.id, { kind: 'status', baseVersion: 1, to: 'triaged', at: triagedAt }));
    const notice = applied(await laptop.push(opened.incident.id, { kind: 'notification_sent', notice: 'customer', tenantId: tenant, at: sentAt }));
    expect(triage.incident.classifiedAt).toBe(triagedAt);
    expect(triage.incident.updatedAt).toBe(receipt);
    expect(triage.entry).toMatchObject({ at: triagedAt, recordedAt: triagedAt, receivedAt: receipt });
    expect(notice.entry).toMatchObject({ at: sentAt, recordedAt: sentAt, receivedAt: receipt });

    const detail = await laptop.read(opened.incident.id);
    expect(deadline(detail, 'classification')).toMatchObject({ state: 'met', satisfiedAt: triagedAt });
    expect(deadline(detail, 'customer_notice')).toMatchObject({ state: 'met', satisfiedAt: sentAt });
    expect(detail.notices.find((n) => n.kind === 'customer')?.sentAt).toBe(sentAt);
    expect(detail.timeline.map((e) => offlineTiming(e))).toEqual([
      { recordedAt: triagedAt, receivedAt: receipt, counted: 'recorded' },
      { recordedAt: sentAt, receivedAt: receipt, counted: 'recorded' },
    ]);
    // The tenant's own view and the changes feed carry both times as well.
    const feed = await svc.call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/changes?limit=500`, { token: (await svc.session(responder)).accessToken });
    const entries = IncidentChangesPageSchema.parse(feed.json()).items.find((i) => i.incident.id === opened.incident.id)?.newEntries ?? [];
    expect(entries.map((e) => [e.recordedAt, e.receivedAt])).toEqual([
      [triagedAt, receipt],
      [sentAt, receipt],
    ]);

    // Once it has synced again, the same device cannot reach back past that sync.
    await laptop.pull();
    tick(HOUR);
    const late = applied(await laptop.push(opened.incident.id, { kind: 'note', text: 'Found in the journal later', at: at(t0, 50 * MIN) }));
    expect(late.entry.at).toBe(clock.toISOString());
  });
});
