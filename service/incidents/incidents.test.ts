import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import {
  EditConflictDetailsSchema,
  IncidentChangesPageSchema,
  IncidentDetailSchema,
  IncidentEditResultSchema,
  IncidentListSchema,
  MarkdownExportSchema,
  type IncidentDetail,
} from '../../shared/incidents/api';
import type { IncidentEdit } from '../../shared/incidents/edits';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { ephemeralKeyRing } from '../crypto/key-ring';
import { PLATFORM_TENANT_ID } from '../db/db';
import { buildServer } from '../http/server';
import { plainCompareHasher } from '../identity/passwords';
import { openTestDatabase, removeTempDirs, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { createTestTenant, createTestUser, sessionFor } from '../testing/identity-fixtures';

const MIN = 60_000;
const HOUR = 60 * MIN;
const INSUFFICIENT_PRIVILEGE = '42501';

describe.each(TEST_ENGINES)('incidents service on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const keys = ephemeralKeyRing();
  const hasher = plainCompareHasher();
  let clock = new Date('2026-11-23T09:00:00.000Z');
  const ago = (ms: number) => new Date(clock.getTime() - ms).toISOString();
  let tenantA: TenantId;
  let tenantB: TenantId;
  let tenantC: TenantId;
  const tokens: Record<'responder' | 'officer' | 'auditor' | 'ownerA' | 'adminB' | 'viewerA', string> = {
    responder: '',
    officer: '',
    auditor: '',
    ownerA: '',
    adminB: '',
    viewerA: '',
  };
  let responderId = '';
  const userIds: Record<string, string> = {};

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    app = await buildServer({ db: t.db, tls: null, logger: false, keys, hasher, now: () => clock });
    await app.ready();
    tenantA = await createTestTenant(t.db, 'Tenant A');
    tenantB = await createTestTenant(t.db, 'Tenant B');
    tenantC = await createTestTenant(t.db, 'Tenant C');
    const people = {
      responder: { platformRoles: ['incident_responder'] as const },
      officer: { platformRoles: ['security_officer'] as const },
      auditor: { platformRoles: ['auditor'] as const },
      ownerA: { memberships: [{ tenantId: tenantA, role: 'owner' as const }] },
      adminB: { memberships: [{ tenantId: tenantB, role: 'admin' as const }] },
      viewerA: { memberships: [{ tenantId: tenantA, role: 'viewer' as const }] },
    };
    for (const [name, opts] of Object.entries(people)) {
      const user = await createTestUser(t.db, keys, hasher, { mfa: false, ...opts });
      if (name === 'responder') responderId = user.userId;
      userIds[name] = user.userId;
      tokens[name as keyof typeof tokens] = (await sessionFor(t.db, user.userId, clock)).accessToken;
    }
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
    removeTempDirs();
  });

  const call = (method: 'GET' | 'POST', url: string, as: keyof typeof tokens, body?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[as]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const errorOf = (res: { statusCode: number; body: string }) => {
    const body = ApiErrorBodySchema.parse(JSON.parse(res.body));
    return { status: res.statusCode, code: body.error.code };
  };
  const open = async (overrides: Record<string, unknown> = {}): Promise<IncidentDetail> => {
    const res = await call('POST', '/v1/incidents', 'responder', {
      title: 'Leaked API keys',
      description: 'Keys of two tenants were found in a public paste.',
      severity: 'P1',
      personalData: false,
      affectedTenantIds: [tenantA, tenantB],
      detectedAt: ago(10 * MIN),
      notice: { likelyImpact: 'Read access to reports for up to 2 hours.', mitigation: 'Keys rotated.', contactPoint: 'security@attest.example' },
      ...overrides,
    });
    expect(res.statusCode, res.body).toBe(201);
    return IncidentDetailSchema.parse(res.json());
  };
  type Draft = IncidentEdit extends infer E ? (E extends unknown ? Omit<E, 'incidentId' | 'at'> & { at?: string } : never) : never;
  const edit = (incidentId: string, e: Draft, key: string = randomUUID(), as: keyof typeof tokens = 'responder') =>
    call('POST', `/v1/incidents/${incidentId}/edits`, as, { idempotencyKey: key, edit: { incidentId, at: clock.toISOString(), ...e } });
  const stored = async (incidentId: string) => ({
    incident: await t.engine.query('SELECT version, status, severity, change_seq FROM incidents WHERE id = $1', [incidentId]),
    entries: await t.engine.query('SELECT id FROM incident_timeline WHERE incident_id = $1 ORDER BY id', [incidentId]),
    audit: (await t.db.platform(listAuditEvents)).length,
  });

  it('opens an incident with deadlines computed from the policy, notices per tenant, and an audit event without its text', async () => {
    const d = await open({ personalData: true, awareAt: ago(5 * MIN) });
    expect(d.incident).toMatchObject({ status: 'detected', severity: 'P1', version: 1, affectedTenantIds: [tenantA, tenantB].sort() });
    expect(d.deadlines.map((x) => [x.id, x.state])).toEqual([
      ['classification', 'pending'],
      ['customer_notice', 'not_started'],
      ['regulator_notice', 'pending'],
      ['breach_notice', 'not_started'],
      ['post_incident_review', 'not_started'],
    ]);
    expect(d.deadlines[0]).toMatchObject({ dueAt: new Date(Date.parse(d.incident.detectedAt) + 30 * MIN).toISOString(), remainingMs: 20 * MIN });
    expect(d.notices.map((n) => [n.tenantName, n.kind, n.required, n.sentAt])).toEqual([
      ['Tenant A', 'customer', true, null],
      ['Tenant A', 'regulator', true, null],
      ['Tenant A', 'breach', true, null],
      ['Tenant B', 'customer', true, null],
      ['Tenant B', 'regulator', true, null],
      ['Tenant B', 'breach', true, null],
    ]);
    const draft = d.notices[0]?.text ?? '';
    for (const part of ['## Nature of the incident', 'public paste', '## Likely impact', 'Read access', '## Mitigation taken or planned', 'Keys rotated.', '## Contact point', 'security@attest.example', 'To: Tenant A']) {
      expect(draft).toContain(part);
    }
    const events = (await t.db.platform(listAuditEvents)).filter((e) => e.target === `incident:${d.incident.id}`);
    expect(events.map((e) => e.action)).toEqual(['incident.opened']);
    expect(events[0]?.details).toMatchObject({ severity: 'P1', personalData: true, titleLength: 'Leaked API keys'.length });
    expect(JSON.stringify(events)).not.toContain('Leaked');
  });

  it('takes no deadline from the client: a body with a deadline field is 400 validation_failed, and nothing is stored', async () => {
    const before = await t.engine.query('SELECT count(*)::int AS n FROM incidents');
    for (const extra of [{ dueAt: ago(-HOUR) }, { deadlines: [] }, { classifiedAt: ago(0) }, { status: 'resolved' }, { version: 7 }]) {
      const res = await call('POST', '/v1/incidents', 'responder', {
        title: 'x',
        severity: 'P2',
        personalData: false,
        affectedTenantIds: [tenantA],
        detectedAt: ago(0),
        ...extra,
      });
      expect([Object.keys(extra)[0], errorOf(res)]).toEqual([Object.keys(extra)[0], { status: 400, code: 'validation_failed' }]);
    }
    const unknownTenant = await call('POST', '/v1/incidents', 'responder', { title: 'x', severity: 'P2', personalData: false, affectedTenantIds: [randomUUID()], detectedAt: ago(0) });
    expect(errorOf(unknownTenant)).toEqual({ status: 400, code: 'validation_failed' });
    const future = await call('POST', '/v1/incidents', 'responder', { title: 'x', severity: 'P2', personalData: false, affectedTenantIds: [], detectedAt: ago(-HOUR) });
    expect(errorOf(future)).toEqual({ status: 400, code: 'validation_failed' });
    expect(await t.engine.query('SELECT count(*)::int AS n FROM incidents')).toEqual(before);
  });

  it('opens an incident a console declared offline once, under its own id: resends and parallel resends are the same incident; another body or person under the id is 409', async () => {
    const id = randomUUID();
    const count = async () => (await t.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE id = $1', [id]))[0]?.n;
    const body = { id, title: 'Declared offline', severity: 'P1', personalData: false, affectedTenantIds: [tenantA], detectedAt: ago(20 * MIN), declaredAt: ago(10 * MIN) };
    const first = await call('POST', '/v1/incidents', 'responder', body);
    expect(first.statusCode, first.body).toBe(201);
    const resends = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/incidents', 'responder', body)));
    expect(resends.map((r) => [r.statusCode, IncidentDetailSchema.parse(r.json()).incident.id])).toEqual([1, 2, 3].map(() => [201, id]));
    expect(await count()).toBe(1);
    expect(errorOf(await call('POST', '/v1/incidents', 'responder', { ...body, title: 'Something else' }))).toEqual({ status: 409, code: 'idempotency_key_reused' });
    expect(errorOf(await call('POST', '/v1/incidents', 'officer', body))).toEqual({ status: 409, code: 'idempotency_key_reused' });
    const existing = await open();
    expect(errorOf(await call('POST', '/v1/incidents', 'responder', { ...body, id: existing.incident.id }))).toEqual({ status: 409, code: 'incident_exists' });
    const events = (await t.db.platform(listAuditEvents)).filter((e) => e.target === `incident:${id}`);
    expect(events.map((e) => e.action)).toEqual(['incident.opened']);
  });

  it('judges an offline declaration\'s time like an offline edit: kept within the session\'s window, else the receipt; a future detection or declaration is 400', async () => {
    const feed = `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/changes?limit=1`;
    const synced = clock;
    expect((await call('GET', feed, 'responder')).statusCode).toBe(200);
    // Within the access token's life: the same session pushes what it declared offline.
    clock = new Date(synced.getTime() + 14 * MIN);
    try {
      const declare = (overrides: Record<string, unknown>) =>
        call('POST', '/v1/incidents', 'responder', { id: randomUUID(), title: 'Offline', severity: 'P0', personalData: false, affectedTenantIds: [tenantA], ...overrides });
      // Declared offline 5 minutes after the last sync: that time stands, and the offline triage after it keeps its own.
      const declaredAt = new Date(synced.getTime() + 5 * MIN).toISOString();
      const within = IncidentDetailSchema.parse((await declare({ detectedAt: new Date(synced.getTime() + MIN).toISOString(), declaredAt })).json());
      expect(within.incident.createdAt).toBe(declaredAt);
      const triagedAt = new Date(synced.getTime() + 8 * MIN).toISOString();
      const triaged = await edit(within.incident.id, { kind: 'status', baseVersion: 1, to: 'triaged', at: triagedAt });
      expect(IncidentEditResultSchema.parse(triaged.json()).incident.classifiedAt).toBe(triagedAt);
      const opened = (await t.db.platform(listAuditEvents)).find((e) => e.target === `incident:${within.incident.id}`);
      expect(opened?.details).toMatchObject({ recordedAt: declaredAt, receivedAt: clock.toISOString() });

      // Declared (so it says) before the last sync: the receipt counts; the detection time is the reported fact and stays.
      const detectedAt = new Date(synced.getTime() - 3 * HOUR).toISOString();
      const before = IncidentDetailSchema.parse((await declare({ detectedAt, declaredAt: new Date(synced.getTime() - 2 * HOUR).toISOString() })).json());
      expect(before.incident).toMatchObject({ createdAt: clock.toISOString(), detectedAt });
      expect(before.deadlines[0]).toMatchObject({ id: 'classification', state: 'missed' });

      expect(errorOf(await declare({ detectedAt: new Date(clock.getTime() + HOUR).toISOString(), declaredAt: clock.toISOString() }))).toEqual({ status: 400, code: 'validation_failed' });
      expect(errorOf(await declare({ detectedAt: ago(MIN), declaredAt: new Date(clock.getTime() + HOUR).toISOString() }))).toEqual({ status: 400, code: 'incident_time_in_future' });
      expect(errorOf(await declare({ detectedAt: ago(MIN), declaredAt: ago(HOUR) }))).toEqual({ status: 400, code: 'validation_failed' });
    } finally {
      clock = synced;
    }
  });

  it('lets only incident staff write: viewer, tenant owner, auditor 403; no token 401', async () => {
    const d = await open();
    const body = { title: 'x', severity: 'P2', personalData: false, affectedTenantIds: [tenantA], detectedAt: ago(0) };
    for (const who of ['viewerA', 'ownerA', 'adminB', 'auditor'] as const) {
      expect([who, errorOf(await call('POST', '/v1/incidents', who, body))]).toEqual([who, { status: 403, code: 'forbidden' }]);
      expect([who, errorOf(await edit(d.incident.id, { kind: 'note', text: 'hi' }, randomUUID(), who))]).toEqual([who, { status: 403, code: 'forbidden' }]);
    }
    const anonymous = await app.inject({ method: 'GET', url: `/v1/tenants/${tenantA}/incidents` });
    expect(errorOf(anonymous)).toEqual({ status: 401, code: 'auth_required' });
    const officer = await call('POST', '/v1/incidents', 'officer', body);
    expect(officer.statusCode).toBe(201);
  });

  it('moves status only along the policy: refusals are 409 with a stable code and change nothing', async () => {
    const d = await open();
    const id = d.incident.id;
    const before = await stored(id);
    expect(errorOf(await edit(id, { kind: 'status', baseVersion: 1, to: 'resolved' }))).toEqual({ status: 409, code: 'transition_not_allowed' });
    expect(errorOf(await edit(id, { kind: 'status', baseVersion: 1, to: 'detected' }))).toEqual({ status: 409, code: 'no_change' });
    expect(errorOf(await edit(id, { kind: 'severity', baseVersion: 1, to: 'P1' }))).toEqual({ status: 409, code: 'no_change' });
    expect(errorOf(await edit(id, { kind: 'notification_sent', notice: 'customer', tenantId: tenantC }))).toEqual({ status: 409, code: 'tenant_not_affected' });
    expect(errorOf(await edit(randomUUID(), { kind: 'note', text: 'x' }))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await edit(id, { kind: 'note', text: 'from the future', at: ago(-HOUR) }))).toEqual({ status: 400, code: 'incident_time_in_future' });
    expect(errorOf(await edit(id, { kind: 'status', baseVersion: 1, to: 'triaged', at: ago(HOUR) }))).toEqual({ status: 400, code: 'incident_time_before_creation' });
    expect(errorOf(await edit(id, { kind: 'assignment', baseVersion: 1, commanderId: randomUUID(), assigneeIds: [] }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await edit(randomUUID(), { kind: 'note', text: 'x' }).then(() => call('POST', `/v1/incidents/${id}/edits`, 'responder', { idempotencyKey: randomUUID(), edit: { incidentId: randomUUID(), at: clock.toISOString(), kind: 'note', text: 'x' } })))).toEqual({ status: 400, code: 'validation_failed' });
    expect(await stored(id)).toEqual(before);

    // Received as it was made: recorded and received agree, and that time counts (backdating: service/security/incident-backdating.test.ts).
    const at = clock.toISOString();
    const triaged = await edit(id, { kind: 'status', baseVersion: 1, to: 'triaged', at });
    expect(triaged.statusCode).toBe(200);
    const r = IncidentEditResultSchema.parse(triaged.json());
    expect(r.incident).toMatchObject({ status: 'triaged', version: 2, classifiedAt: at });
    expect(r.entry).toMatchObject({ kind: 'status_change', from: 'detected', to: 'triaged', actorId: responderId, at, recordedAt: at, receivedAt: at });
    const detail = IncidentDetailSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/${id}`, 'responder')).json());
    expect(detail.deadlines[0]).toMatchObject({ id: 'classification', state: 'met', satisfiedAt: at });
    expect(detail.deadlines[1]).toMatchObject({ id: 'customer_notice', state: 'pending', dueAt: new Date(Date.parse(at) + 72 * HOUR).toISOString() });
    const events = (await t.db.platform(listAuditEvents)).filter((e) => e.target === `incident:${id}`);
    expect(events.map((e) => [e.action, e.details.from, e.details.to])).toEqual([
      ['incident.opened', undefined, undefined],
      ['incident.status_changed', 'detected', 'triaged'],
    ]);
  });

  it('applies an edit once per idempotency key: resends return the same 200 body; another body under the key is 409', async () => {
    const d = await open();
    const id = d.incident.id;
    const key = randomUUID();
    const first = await edit(id, { kind: 'severity', baseVersion: 1, to: 'P0' }, key);
    expect(first.statusCode).toBe(200);
    const after = await stored(id);
    const resends = await Promise.all([1, 2, 3].map(() => edit(id, { kind: 'severity', baseVersion: 1, to: 'P0' }, key)));
    for (const res of resends) expect([res.statusCode, res.json()]).toEqual([200, first.json()]);
    expect(await stored(id)).toEqual(after);
    expect(after.entries).toHaveLength(1);
    expect(IncidentEditResultSchema.parse(first.json()).incident.version).toBe(2);

    expect(errorOf(await edit(id, { kind: 'severity', baseVersion: 1, to: 'P2' }, key))).toEqual({ status: 409, code: 'idempotency_key_reused' });
    expect(errorOf(await edit(id, { kind: 'note', text: 'other' }, key))).toEqual({ status: 409, code: 'idempotency_key_reused' });
    // The same request from another person is not theirs to replay.
    expect(errorOf(await edit(id, { kind: 'severity', baseVersion: 1, to: 'P0' }, key, 'officer'))).toEqual({ status: 409, code: 'idempotency_key_reused' });
    expect(await stored(id)).toEqual(after);

    // A note resent concurrently is applied once too.
    const noteKey = randomUUID();
    const notes = await Promise.all([1, 2, 3, 4].map(() => edit(id, { kind: 'note', text: 'Paste taken down.' }, noteKey)));
    expect(notes.map((n) => n.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(notes.map((n) => n.body)).size).toBe(1);
    expect((await stored(id)).entries).toHaveLength(2);
  });

  it('refuses a field edit on a stale version with 409 edit_conflict and the current incident; notes and notices never conflict', async () => {
    const d = await open({ severity: 'P0' });
    const id = d.incident.id;
    expect((await edit(id, { kind: 'status', baseVersion: 1, to: 'triaged' })).statusCode).toBe(200);
    const before = await stored(id);
    // Made offline against version 1: the incident is at 2 now.
    const stale = await edit(id, { kind: 'severity', baseVersion: 1, to: 'P1' });
    expect(errorOf(stale)).toEqual({ status: 409, code: 'edit_conflict' });
    const current = EditConflictDetailsSchema.parse(ApiErrorBodySchema.parse(stale.json()).error.details);
    expect(current.incident).toMatchObject({ id, version: 2, status: 'triaged', severity: 'P0' });
    expect(errorOf(await edit(id, { kind: 'assignment', baseVersion: 1, commanderId: responderId, assigneeIds: [] }))).toEqual({ status: 409, code: 'edit_conflict' });
    expect(await stored(id)).toEqual(before);

    const note = await edit(id, { kind: 'note', text: 'Written offline against version 1.' });
    expect(note.statusCode).toBe(200);
    const sent = await edit(id, { kind: 'notification_sent', notice: 'customer', tenantId: tenantA });
    expect(sent.statusCode).toBe(200);
    expect(IncidentEditResultSchema.parse(sent.json()).incident.version).toBe(2);
    // Resolving the conflict: the same change based on the current version applies.
    const keepMine = await edit(id, { kind: 'severity', baseVersion: 2, to: 'P1', reason: 'Only test keys leaked' });
    expect(IncidentEditResultSchema.parse(keepMine.json()).incident).toMatchObject({ severity: 'P1', version: 3 });
  });

  it('needs a reason to lower the severity or to resolve with notices unsent (400, nothing stored); the entry records the moved deadlines, audited without the reason', async () => {
    const d = await open({ severity: 'P0' });
    const id = d.incident.id;
    const triagedAt = clock.toISOString();
    expect((await edit(id, { kind: 'status', baseVersion: 1, to: 'triaged' })).statusCode).toBe(200);
    const before = await stored(id);
    expect(errorOf(await edit(id, { kind: 'severity', baseVersion: 2, to: 'P1' }))).toEqual({ status: 400, code: 'downgrade_reason_required' });
    expect(errorOf(await edit(id, { kind: 'severity', baseVersion: 2, to: 'P3' }))).toEqual({ status: 400, code: 'downgrade_reason_required' });
    for (const reason of ['   ', 'two\nlines', 'nul\u0000', 'x'.repeat(501)]) {
      expect([reason.slice(0, 8), errorOf(await edit(id, { kind: 'severity', baseVersion: 2, to: 'P1', reason }))]).toEqual([reason.slice(0, 8), { status: 400, code: 'validation_failed' }]);
    }
    expect(await stored(id)).toEqual(before);

    const lowered = await edit(id, { kind: 'severity', baseVersion: 2, to: 'P1', reason: 'Only test keys leaked' });
    expect(lowered.statusCode, lowered.body).toBe(200);
    const entry = IncidentEditResultSchema.parse(lowered.json()).entry;
    expect(entry).toMatchObject({
      kind: 'severity_change',
      from: 'P0',
      to: 'P1',
      reason: 'Only test keys leaked',
      deadlineMoves: [{ id: 'customer_notice', from: { due: new Date(Date.parse(triagedAt) + 24 * HOUR).toISOString() }, to: { due: new Date(Date.parse(triagedAt) + 72 * HOUR).toISOString() } }],
    });
    // Lowering further drops the customer notice and the review: the entry says they are no longer required.
    const p2 = IncidentEditResultSchema.parse((await edit(id, { kind: 'severity', baseVersion: 3, to: 'P2', reason: 'No customer data' })).json()).entry;
    expect(p2).toMatchObject({ deadlineMoves: [{ id: 'customer_notice', to: 'not_required' }, { id: 'post_incident_review', from: 'not_started', to: 'not_required' }] });
    // Raising needs no reason.
    expect((await edit(id, { kind: 'severity', baseVersion: 4, to: 'P0' })).statusCode).toBe(200);
    const detail = IncidentDetailSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/${id}`, 'officer')).json());
    expect(detail.timeline.filter((e) => e.kind === 'severity_change').map((e) => [e.to, 'reason' in e ? e.reason : undefined])).toEqual([
      ['P1', 'Only test keys leaked'],
      ['P2', 'No customer data'],
      ['P0', undefined],
    ]);

    // Two customer notices are owed (A and B): resolving needs a reason until both are sent.
    const unsent = await stored(id);
    expect(errorOf(await edit(id, { kind: 'status', baseVersion: 5, to: 'resolved' }))).toEqual({ status: 400, code: 'unsent_notices_reason_required' });
    expect((await edit(id, { kind: 'notification_sent', notice: 'customer', tenantId: tenantA })).statusCode).toBe(200);
    expect(errorOf(await edit(id, { kind: 'status', baseVersion: 5, to: 'resolved' }))).toEqual({ status: 400, code: 'unsent_notices_reason_required' });
    // The notice was recorded (its change moved the feed); the incident itself is as it was.
    expect((await stored(id)).incident).toEqual([{ ...unsent.incident[0], change_seq: expect.anything() }]);
    const resolved = await edit(id, { kind: 'status', baseVersion: 5, to: 'resolved', reason: 'Tenant B is told by its account manager' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(IncidentEditResultSchema.parse(resolved.json()).entry).toMatchObject({
      kind: 'status_change',
      to: 'resolved',
      reason: 'Tenant B is told by its account manager',
      deadlineMoves: [{ id: 'post_incident_review', from: 'not_started', to: { due: new Date(clock.getTime() + 14 * 24 * HOUR).toISOString() } }],
    });

    const audit = (await t.db.platform(listAuditEvents)).filter((e) => e.target === `incident:${id}` && e.action !== 'incident.opened');
    const lowering = audit.find((e) => e.action === 'incident.severity_changed' && e.details.to === 'P1');
    expect(lowering?.details).toMatchObject({ reasonLength: 'Only test keys leaked'.length, deadlineMoves: [{ id: 'customer_notice' }] });
    expect(JSON.stringify(audit.map((e) => e.details))).not.toContain('Only test keys');
  });

  it('resolves without a reason once every owed notice is sent', async () => {
    const d = await open({ severity: 'P1', affectedTenantIds: [tenantA] });
    const id = d.incident.id;
    expect((await edit(id, { kind: 'status', baseVersion: 1, to: 'triaged' })).statusCode).toBe(200);
    expect((await edit(id, { kind: 'notification_sent', notice: 'customer', tenantId: tenantA })).statusCode).toBe(200);
    const resolved = await edit(id, { kind: 'status', baseVersion: 2, to: 'resolved' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(IncidentEditResultSchema.parse(resolved.json()).entry).not.toHaveProperty('reason');
  });

  it('corrects details after opening: deadlines recompute from the new facts, tenants are relinked with their notices, audited without text', async () => {
    const d = await open({ personalData: false, awareAt: ago(8 * MIN) });
    const id = d.incident.id;
    const scope = `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/${id}`;
    const detail = async () => IncidentDetailSchema.parse((await call('GET', scope, 'officer')).json());
    const deadline = async (which: string) => (await detail()).deadlines.find((x) => x.id === which);
    expect(await deadline('regulator_notice')).toBeUndefined();

    // Flagging personal data starts the regulator clock from the awareness already recorded.
    const flagged = await edit(id, { kind: 'details', baseVersion: 1, changes: { personalData: true } });
    expect(flagged.statusCode, flagged.body).toBe(200);
    const flaggedResult = IncidentEditResultSchema.parse(flagged.json());
    expect(flaggedResult.incident).toMatchObject({ personalData: true, awareAt: ago(8 * MIN), version: 2 });
    expect(flaggedResult.entry).toMatchObject({ kind: 'details_change', from: { personalData: false }, to: { personalData: true } });
    expect(await deadline('regulator_notice')).toMatchObject({ state: 'pending', startedAt: ago(8 * MIN), dueAt: new Date(clock.getTime() - 8 * MIN + 72 * HOUR).toISOString() });
    expect(await deadline('breach_notice')).toMatchObject({ state: 'not_started', startsWhen: 'verifiedAt' });
    expect((await detail()).notices.filter((n) => n.kind === 'regulator').map((n) => n.required)).toEqual([true, true]);

    // Verification is learnt later: setting it starts the 24-hour breach-notice clock at that time.
    const verifiedAt = ago(3 * MIN);
    const verified = await edit(id, { kind: 'details', baseVersion: 2, changes: { verifiedAt } });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(await deadline('breach_notice')).toMatchObject({ state: 'pending', startedAt: verifiedAt, dueAt: new Date(Date.parse(verifiedAt) + 24 * HOUR).toISOString() });

    // Invalid changes: exact codes, and nothing stored.
    const before = await stored(id);
    const refusals = [
      [{ verifiedAt: ago(11 * MIN) }, 3, { status: 400, code: 'incident_time_before_detection' }],
      [{ awareAt: ago(HOUR) }, 3, { status: 400, code: 'incident_time_before_detection' }],
      [{ verifiedAt: ago(-HOUR) }, 3, { status: 400, code: 'incident_time_in_future' }],
      [{}, 3, { status: 400, code: 'validation_failed' }],
      [{ title: '   ' }, 3, { status: 400, code: 'validation_failed' }],
      [{ deadline: ago(0) }, 3, { status: 400, code: 'validation_failed' }],
      [{ affectedTenantIds: [randomUUID()] }, 3, { status: 400, code: 'validation_failed' }],
      [{ title: 'Leaked API keys', personalData: true }, 3, { status: 409, code: 'no_change' }],
      [{ title: 'Stale' }, 2, { status: 409, code: 'edit_conflict' }],
    ] as const;
    for (const [changes, baseVersion, expected] of refusals) {
      expect([changes, errorOf(await edit(id, { kind: 'details', baseVersion, changes: changes as never }))]).toEqual([changes, expected]);
    }
    expect(await stored(id)).toEqual(before);

    // B is no longer affected, C is: the links and the notices follow, and B's scope stops seeing it.
    const key = randomUUID();
    const moved = await edit(id, { kind: 'details', baseVersion: 3, changes: { title: 'Leaked API keys (rotated)', description: 'Only A and C.', affectedTenantIds: [tenantC, tenantA, tenantA] } }, key);
    expect(moved.statusCode, moved.body).toBe(200);
    const resent = await edit(id, { kind: 'details', baseVersion: 3, changes: { title: 'Leaked API keys (rotated)', description: 'Only A and C.', affectedTenantIds: [tenantC, tenantA, tenantA] } }, key);
    expect([resent.statusCode, resent.json()]).toEqual([200, moved.json()]);
    const now = await detail();
    expect(now.incident).toMatchObject({ title: 'Leaked API keys (rotated)', description: 'Only A and C.', affectedTenantIds: [tenantA, tenantC].sort(), version: 4 });
    expect([...new Set(now.notices.map((n) => n.tenantId))].sort()).toEqual([tenantA, tenantC].sort());
    expect(now.notices.find((n) => n.tenantId === tenantC && n.kind === 'breach')?.text).toContain('Leaked API keys (rotated)');
    expect(now.timeline.filter((e) => e.kind === 'details_change')).toHaveLength(3);
    const links = await t.engine.query<{ tenant_id: string }>('SELECT tenant_id FROM incident_tenants WHERE incident_id = $1 ORDER BY tenant_id', [id]);
    expect(links.map((r) => r.tenant_id)).toEqual([tenantA, tenantC].sort());
    const forB = IncidentListSchema.parse((await call('GET', `/v1/tenants/${tenantB}/incidents`, 'adminB')).json()).items.map((i) => i.incident.id);
    expect(forB).not.toContain(id);
    // A's owner reads the change as A's scope does everything else: the only tenant it names is A.
    const forA = await call('GET', `/v1/tenants/${tenantA}/incidents/${id}`, 'ownerA');
    expect(forA.statusCode).toBe(200);
    expect(forA.body).not.toContain(tenantB);
    expect(forA.body).not.toContain(tenantC);
    expect(IncidentDetailSchema.parse(forA.json()).timeline.filter((e) => e.kind === 'details_change').at(-1)).toMatchObject({
      from: { affectedTenantIds: [tenantA] },
      to: { affectedTenantIds: [tenantA] },
    });
    const feed = IncidentChangesPageSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/changes?limit=500`, 'officer')).json());
    expect(feed.items.find((i) => i.incident.id === id)?.incident.title).toBe('Leaked API keys (rotated)');

    // A tenant already sent a notice stays affected.
    expect((await edit(id, { kind: 'notification_sent', notice: 'breach', tenantId: tenantA })).statusCode).toBe(200);
    expect(errorOf(await edit(id, { kind: 'details', baseVersion: 4, changes: { affectedTenantIds: [tenantC] } }))).toEqual({ status: 409, code: 'tenant_already_notified' });

    const audit = (await t.db.platform(listAuditEvents)).filter((e) => e.target === `incident:${id}` && e.action === 'incident.details_changed');
    expect(audit.map((e) => e.details.fields)).toEqual([['personalData'], ['verifiedAt'], ['title', 'description', 'affectedTenantIds']]);
    expect(audit[2]?.details.to).toEqual({ titleLength: 'Leaked API keys (rotated)'.length, descriptionLength: 'Only A and C.'.length, affectedTenantIds: [tenantA, tenantC].sort() });
    expect(JSON.stringify(audit)).not.toContain('rotated');
    // A tenant scope deletes nothing through the new grants.
    const deleted = await t.db.tenant(tenantA, async (tx) => [
      ...(await tx.query('DELETE FROM incident_notices RETURNING incident_id')),
      ...(await tx.query('DELETE FROM incident_tenants RETURNING incident_id')),
    ]);
    expect(deleted).toEqual([]);
  });

  it('marking a notice sent stamps it at the edit time, freezes its text, and meets the deadline once every tenant has one', async () => {
    const d = await open({ severity: 'P0' });
    const id = d.incident.id;
    await edit(id, { kind: 'status', baseVersion: 1, to: 'triaged' });
    const sentAt = clock.toISOString();
    expect((await edit(id, { kind: 'notification_sent', notice: 'customer', tenantId: tenantA, at: sentAt })).statusCode).toBe(200);
    let detail = IncidentDetailSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/${id}`, 'officer')).json());
    expect(detail.deadlines.find((x) => x.id === 'customer_notice')?.state).toBe('pending');
    const a = detail.notices.find((n) => n.tenantId === tenantA && n.kind === 'customer');
    expect(a).toMatchObject({ sentAt, sentBy: responderId });
    // Tenant B not yet: the deadline is met only when both have had it.
    expect(detail.notices.find((n) => n.tenantId === tenantB && n.kind === 'customer')?.sentAt).toBeNull();
    expect((await edit(id, { kind: 'notification_sent', notice: 'customer', tenantId: tenantB })).statusCode).toBe(200);
    // A later status change does not rewrite what was sent.
    await edit(id, { kind: 'status', baseVersion: 2, to: 'contained' });
    detail = IncidentDetailSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/${id}`, 'officer')).json());
    expect(detail.deadlines.find((x) => x.id === 'customer_notice')).toMatchObject({ state: 'met', satisfiedAt: clock.toISOString() });
    expect(detail.notices.find((n) => n.tenantId === tenantA && n.kind === 'customer')?.text).toBe(a?.text);
    expect(a?.text).toContain('We have assessed the incident');
    expect(detail.notices.find((n) => n.tenantId === tenantA && n.kind === 'regulator')?.text).toContain('The incident is contained');
    expect(detail.timeline.map((e) => e.kind)).toEqual(['status_change', 'notification_sent', 'notification_sent', 'status_change']);
  });

  it('shows a tenant reader only incidents affecting their tenant, only their notices, and 403 elsewhere', async () => {
    const both = await open({ title: 'Both A and B' });
    const onlyB = await open({ title: 'Only B', affectedTenantIds: [tenantB] });
    const none = await open({ title: 'Internal only', affectedTenantIds: [] });
    await edit(both.incident.id, { kind: 'notification_sent', notice: 'customer', tenantId: tenantB });
    await edit(both.incident.id, { kind: 'note', text: 'A note everyone affected may read.' });

    const list = IncidentListSchema.parse((await call('GET', `/v1/tenants/${tenantA}/incidents`, 'ownerA')).json());
    const ids = list.items.map((i) => i.incident.id);
    expect(ids).toContain(both.incident.id);
    expect(ids).not.toContain(onlyB.incident.id);
    expect(ids).not.toContain(none.incident.id);
    for (const item of list.items) expect(item.incident.affectedTenantIds).toEqual([tenantA]);

    const mine = await call('GET', `/v1/tenants/${tenantA}/incidents/${both.incident.id}`, 'ownerA');
    const detail = IncidentDetailSchema.parse(mine.json());
    expect(detail.notices.map((n) => n.tenantId)).toEqual([tenantA, tenantA, tenantA]);
    // B's notice entry is B's business; the note is about the whole incident.
    expect(detail.timeline.map((e) => e.kind)).toEqual(['note']);
    expect(mine.body).not.toContain(tenantB);

    expect(errorOf(await call('GET', `/v1/tenants/${tenantA}/incidents/${onlyB.incident.id}`, 'ownerA'))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await call('GET', `/v1/tenants/${tenantB}/incidents`, 'ownerA'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents`, 'ownerA'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('GET', `/v1/tenants/${tenantA}/incidents`, 'viewerA'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('GET', `/v1/tenants/${tenantA}/incidents/changes`, 'viewerA'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('GET', `/v1/tenants/${tenantA}/incidents/${both.incident.id}/review/markdown`, 'viewerA'))).toEqual({ status: 403, code: 'forbidden' });

    const b = IncidentListSchema.parse((await call('GET', `/v1/tenants/${tenantB}/incidents`, 'adminB')).json()).items.map((i) => i.incident.id);
    expect(b).toEqual(expect.arrayContaining([both.incident.id, onlyB.incident.id]));
    expect(b).not.toContain(none.incident.id);
    const all = IncidentListSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents`, 'auditor')).json()).items.map((i) => i.incident.id);
    expect(all).toEqual(expect.arrayContaining([both.incident.id, onlyB.incident.id, none.incident.id]));
  });

  it("enforces the tenant view in the database: raw queries in A's scope see only A's incidents, links, notices and entries, and write nothing", async () => {
    const both = await open({ title: 'Raw both' });
    const onlyB = await open({ title: 'Raw only B', affectedTenantIds: [tenantB] });
    await edit(both.incident.id, { kind: 'notification_sent', notice: 'customer', tenantId: tenantB });
    const seen = await t.db.tenant(tenantA, async (tx) => ({
      incidents: (await tx.query<{ id: string }>('SELECT id FROM incidents')).map((r) => r.id),
      links: (await tx.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM incident_tenants')).map((r) => r.tenant_id),
      notices: (await tx.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM incident_notices')).map((r) => r.tenant_id),
      entries: await tx.query('SELECT * FROM incident_timeline WHERE tenant_id IS NOT NULL AND tenant_id <> $1', [tenantA]),
      onlyB: await tx.query('SELECT * FROM incidents WHERE id = $1', [onlyB.incident.id]),
      requests: await tx.query('SELECT * FROM incident_edit_requests'),
    }));
    expect(seen.incidents).toContain(both.incident.id);
    expect(seen.incidents).not.toContain(onlyB.incident.id);
    expect(seen.links).toEqual([tenantA]);
    expect(seen.notices).toEqual([tenantA]);
    expect(seen.entries).toEqual([]);
    expect(seen.onlyB).toEqual([]);
    expect(seen.requests).toEqual([]);
    // Updates find no row they may change; inserts and deletes are refused outright.
    const updated = await t.db.tenant(tenantA, async (tx) => [
      ...(await tx.query("UPDATE incidents SET severity = 'P3' RETURNING id")),
      ...(await tx.query("UPDATE incident_notices SET sent_at = now(), sent_text = 'x' RETURNING incident_id")),
    ]);
    expect(updated).toEqual([]);
    for (const sql of [
      'DELETE FROM incident_timeline',
      'DELETE FROM incidents',
      `INSERT INTO incident_tenants (tenant_id, incident_id) VALUES ('${tenantA}', '${onlyB.incident.id}')`,
      `INSERT INTO incident_timeline (incident_id, id, at, actor_id, kind, body, change_seq) VALUES ('${both.incident.id}', gen_random_uuid(), now(), gen_random_uuid(), 'note', '{}', 1)`,
    ]) {
      const err = await t.db.tenant(tenantA, (tx) => tx.query(sql)).catch((e: unknown) => e);
      expect([sql, (err as { code?: string }).code]).toEqual([sql, INSUFFICIENT_PRIVILEGE]);
    }
    // Platform scope cannot delete or rewrite the timeline either.
    const del = await t.db.platform((tx) => tx.query('DELETE FROM incident_timeline')).catch((e: unknown) => e);
    expect((del as { code?: string }).code).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('filters the list by severity, status and overdue (computed at the service clock)', async () => {
    const fresh = await open({ title: 'Fresh P3', severity: 'P3', detectedAt: ago(MIN) });
    const late = await open({ title: 'Unclassified P2', severity: 'P2', detectedAt: ago(45 * MIN) });
    const scope = `/v1/tenants/${PLATFORM_TENANT_ID}/incidents`;
    const ids = async (q: string) => IncidentListSchema.parse((await call('GET', `${scope}?${q}`, 'officer')).json()).items.map((i) => i.incident.id);
    const overdue = await ids('overdue=true');
    expect(overdue).toContain(late.incident.id);
    expect(overdue).not.toContain(fresh.incident.id);
    expect(await ids('overdue=false')).toContain(fresh.incident.id);
    const p3 = await ids('severity=P3');
    expect(p3).toContain(fresh.incident.id);
    expect(p3).not.toContain(late.incident.id);
    expect(await ids('status=resolved')).not.toContain(fresh.incident.id);
    // Half an hour later the fresh one is overdue too: deadlines are computed at now, not stored.
    const officerToken = tokens.officer;
    clock = new Date(clock.getTime() + 31 * MIN);
    try {
      tokens.officer = (await sessionFor(t.db, userIds.officer ?? '', clock)).accessToken;
      expect(await ids('overdue=true&severity=P3')).toContain(fresh.incident.id);
    } finally {
      clock = new Date(clock.getTime() - 31 * MIN);
      tokens.officer = officerToken;
    }
    expect(errorOf(await call('GET', `${scope}?severity=P9`, 'officer'))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('GET', `${scope}?overdue=yes`, 'officer'))).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('feeds changes after a cursor in pages, monotonic, with only the entries added since', async () => {
    const pull = async (scope: string, as: keyof typeof tokens, cursor: string, limit = 2) =>
      IncidentChangesPageSchema.parse((await call('GET', `/v1/tenants/${scope}/incidents/changes?cursor=${cursor}&limit=${limit}`, as)).json());
    const drain = async (scope: string, as: keyof typeof tokens, from = '0') => {
      let cursor = from;
      const seen: string[] = [];
      for (;;) {
        const page = await pull(scope, as, cursor);
        expect(BigInt(page.nextCursor) >= BigInt(cursor)).toBe(true);
        seen.push(...page.items.map((i) => i.incident.id));
        cursor = page.nextCursor;
        if (!page.more) return { cursor, seen };
      }
    };
    const x = await open({ title: 'Feed X' });
    const y = await open({ title: 'Feed Y', affectedTenantIds: [tenantB] });
    const platform = await drain(PLATFORM_TENANT_ID, 'officer');
    expect(platform.seen).toEqual(expect.arrayContaining([x.incident.id, y.incident.id]));
    expect(new Set(platform.seen).size).toBe(platform.seen.length);
    // Nothing new: the same cursor comes back, no items.
    expect(await pull(PLATFORM_TENANT_ID, 'officer', platform.cursor)).toEqual({ items: [], nextCursor: platform.cursor, more: false });

    await edit(x.incident.id, { kind: 'note', text: 'first' });
    await edit(x.incident.id, { kind: 'status', baseVersion: 1, to: 'triaged' });
    const next = await pull(PLATFORM_TENANT_ID, 'officer', platform.cursor, 10);
    expect(next.items.map((i) => i.incident.id)).toEqual([x.incident.id]);
    expect(next.items[0]?.incident).toMatchObject({ status: 'triaged', version: 2 });
    expect(next.items[0]?.newEntries.map((e) => e.kind)).toEqual(['note', 'status_change']);
    expect(BigInt(next.nextCursor) > BigInt(platform.cursor)).toBe(true);

    const a = await drain(tenantA, 'ownerA');
    expect(a.seen).toContain(x.incident.id);
    expect(a.seen).not.toContain(y.incident.id);
    expect(errorOf(await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/changes?cursor=abc`, 'officer'))).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('never lets a reader skip a change: concurrent edits all reach a client pulling concurrently, each once', async () => {
    const incidents = await Promise.all([1, 2, 3, 4].map((n) => open({ title: `Concurrent ${n}` })));
    let cursor = (await (async () => {
      let c = '0';
      for (;;) {
        const page = IncidentChangesPageSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/changes?cursor=${c}&limit=500`, 'officer')).json());
        c = page.nextCursor;
        if (!page.more) return c;
      }
    })());
    const pulled: string[] = [];
    const pullOnce = async () => {
      const page = IncidentChangesPageSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/changes?cursor=${cursor}&limit=3`, 'officer')).json());
      pulled.push(...page.items.flatMap((i) => i.newEntries.map((e) => e.id)));
      cursor = page.nextCursor;
      return page.more;
    };
    let writing = true;
    const writes = Promise.all(
      incidents.flatMap((d) => [1, 2, 3, 4, 5].map((n) => edit(d.incident.id, { kind: 'note', text: `note ${n}` }))),
    ).finally(() => (writing = false));
    // Yield to the event loop between pulls: on PGlite a pull can complete without one, starving the writes.
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    while (writing) {
      await pullOnce();
      await tick();
    }
    expect((await writes).map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    while (await pullOnce());
    const written = await t.engine.query<{ id: string }>('SELECT id FROM incident_timeline WHERE incident_id = ANY($1::uuid[])', [incidents.map((d) => d.incident.id)]);
    expect([...pulled].sort()).toEqual(written.map((r) => r.id).sort());
  });

  it('exports a notice and the post-incident review as Markdown', async () => {
    const d = await open({ severity: 'P0', personalData: true, awareAt: ago(MIN), affectedTenantIds: [tenantA] });
    const id = d.incident.id;
    await edit(id, { kind: 'status', baseVersion: 1, to: 'triaged' });
    await edit(id, { kind: 'note', text: 'Keys rotated for Tenant A.' });
    const notice = MarkdownExportSchema.parse((await call('GET', `/v1/tenants/${tenantA}/incidents/${id}/notices/regulator/markdown`, 'ownerA')).json());
    expect(notice.markdown).toMatch(/^# Personal data breach notification to the supervisory authority: Leaked API keys/);
    expect(notice.filename).toBe(`incident-${id.slice(0, 8)}-regulator-notice.md`);
    expect(notice).toMatchObject({ incidentTitle: 'Leaked API keys', tenantName: 'Tenant A' });
    const review = MarkdownExportSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/${id}/review/markdown`, 'officer')).json());
    expect(review.markdown).toContain('# Post-incident review: Leaked API keys');
    expect(review).toMatchObject({ incidentTitle: 'Leaked API keys', tenantName: null });
    expect(review.markdown).toContain('Affected tenants: Tenant A');
    expect(review.markdown).toMatch(/Classify the incident: met at/);
    expect(review.markdown).toContain('Note: Keys rotated for Tenant A.');
    // The platform view has no notices of its own; tenant B has none for this incident.
    expect(errorOf(await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/incidents/${id}/notices/customer/markdown`, 'officer'))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await call('GET', `/v1/tenants/${tenantB}/incidents/${id}/notices/customer/markdown`, 'adminB'))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await call('GET', `/v1/tenants/${tenantA}/incidents/${id}/notices/press/markdown`, 'ownerA'))).toEqual({ status: 400, code: 'validation_failed' });
  });
});
