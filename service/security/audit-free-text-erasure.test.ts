/**
 * Threat: free text in the hashed audit leaf (finding 9). Review titles and
 * comments and approval comments were hashed into the leaf, where an erasure
 * request cannot reach them without breaking the tree. Every kind of free text
 * the API takes is written here; after erasure none of it is left in any stored
 * audit row, and every log (with its signed heads) still verifies. A call site
 * that passes free text as hashed details is refused before anything is written.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApprovalRequestSchema } from '../../shared/approvals/schemas';
import type { AuditDetails } from '../../shared/audit/event';
import { AccessReviewSchema } from '../../shared/access-reviews/schemas';
import { PLATFORM_ROLES } from '../../shared/identity/roles';
import { IncidentDetailSchema } from '../../shared/incidents/api';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, listAuditEvents } from '../audit/audit-log';
import { verifyAuditLogs } from '../audit/verify-log';
import { PLATFORM_TENANT_ID, type Db } from '../db/db';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

const HOUR = 3_600_000;

/** Every stored audit row of a log, as text: the events (what the leaf hashes) and their personal parts. */
const storedRows = async (db: Db, log: string): Promise<{ events: string; personal: string }> => {
  const read = async (sql: string) => {
    const q = (tx: { query: <T extends Record<string, unknown>>(s: string, p: unknown[]) => Promise<T[]> }) => tx.query<{ row: string }>(sql, [log]);
    const rows = log === PLATFORM_TENANT_ID ? await db.platform(q) : await db.tenant(log as TenantId, q);
    return rows.map((r) => r.row).join('\n');
  };
  return {
    events: await read('SELECT e::text AS row FROM audit_events e WHERE e.tenant_id = $1'),
    personal: await read('SELECT p::text AS row FROM audit_personal p WHERE p.tenant_id = $1'),
  };
};

describe.each(TEST_ENGINES)('free text in the audit log on %s', (kind) => {
  const clock = new Date('2026-06-02T09:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });
  let ip = 0;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token: string, body?: object) =>
    svc.call(method, url, { token, ip: `10.78.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`, ...(body ? { body } : {}) });

  it('keeps only lengths in the leaf; erasure leaves none of the text in any stored row, and every log still verifies', async () => {
    const mark = randomUUID().slice(0, 8);
    const text = {
      tenantName: `Müller & Söhne ${mark} GmbH`,
      reviewTitle: `Q3 review of ${mark}’s team`,
      reviewComment: `Keeps access: on call for ${mark} until March`,
      reason: `Laptop of ${mark} stolen\nat the station`,
      denial: `Not without an incident number, ${mark}`,
      tokenName: `CI deploy for ${mark}`,
      incidentTitle: `Leak at ${mark} Ltd`,
      note: `Called ${mark}:\n\tconfirmed`,
      tenantRename: `Müller ${mark} Holding`,
      suspensionReason: `Chargeback from ${mark}`,
    };
    const tenant = await createTestTenant(svc.t.db, text.tenantName);
    const member = (role: 'owner' | 'admin' | 'viewer') => createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role }] });
    const [owner, admin, viewer] = [await member('owner'), await member('admin'), await member('viewer')];
    const staff = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: [...PLATFORM_ROLES] });
    const [o, a, s] = [(await svc.steppedUp(owner, HOUR)).accessToken, (await svc.steppedUp(admin, HOUR)).accessToken, (await svc.steppedUp(staff, HOUR)).accessToken];

    // An access review: its title, and a decision's comment.
    const review = await call('POST', `/v1/tenants/${tenant}/access-reviews`, o, { title: text.reviewTitle });
    expect(review.statusCode, review.body).toBe(201);
    const reviewId = AccessReviewSchema.parse(review.json()).review.id;
    const decided = await call('PUT', `/v1/tenants/${tenant}/access-reviews/${reviewId}/items/${viewer.userId}`, o, { decision: 'keep', comment: text.reviewComment });
    expect(decided.statusCode, decided.body).toBe(200);
    // An approval: the request's reason, and the denial's comment.
    const asked = await call('POST', `/v1/tenants/${tenant}/sessions/revoke-all`, a, { reason: text.reason });
    expect(asked.statusCode, asked.body).toBe(201);
    const approvalId = ApprovalRequestSchema.parse(asked.json()).id;
    const denied = await call('POST', `/v1/tenants/${tenant}/approvals/${approvalId}/deny`, o, { comment: text.denial });
    expect(denied.statusCode, denied.body).toBe(200);
    // The tenant's new name (the old one and the new one), and a suspension's reason.
    const renamed = await call('PATCH', `/v1/tenants/${tenant}/settings`, o, { name: text.tenantRename });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const suspension = await call('POST', `/v1/tenants/${tenant}/suspend`, s, { reason: text.suspensionReason });
    expect(suspension.statusCode, suspension.body).toBe(202);
    // An API token's name.
    const token = await call('POST', `/v1/tenants/${tenant}/api-tokens`, o, {
      name: text.tokenName,
      scopes: ['members.read'],
      expiresAt: new Date(clock.getTime() + 24 * HOUR).toISOString(),
    });
    expect(token.statusCode, token.body).toBe(201);
    // An incident (platform log): its title and a note.
    const opened = await call('POST', '/v1/incidents', s, { title: text.incidentTitle, severity: 'P2', personalData: true, affectedTenantIds: [tenant], detectedAt: clock.toISOString() });
    expect(opened.statusCode, opened.body).toBe(201);
    const incidentId = IncidentDetailSchema.parse(opened.json()).incident.id;
    const noted = await call('POST', `/v1/incidents/${incidentId}/edits`, s, {
      idempotencyKey: randomUUID(),
      edit: { incidentId, at: clock.toISOString(), kind: 'note', text: text.note },
    });
    expect(noted.statusCode, noted.body).toBe(200);

    const logs = [tenant, PLATFORM_TENANT_ID];
    for (const log of logs) expect((await call('POST', `/v1/tenants/${log}/audit/sth`, s)).statusCode).toBe(200);

    // The leaf holds lengths; the text itself is only in the personal part.
    const events = await svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx));
    const event = (action: string) => events.find((e) => e.action === action);
    expect(event('access_review.started')?.details).toMatchObject({ titleLength: text.reviewTitle.length });
    expect(event('access_review.decided')?.details).toMatchObject({ commentLength: text.reviewComment.length });
    expect(event('approval.requested')?.details).toMatchObject({ reasonLength: text.reason.length });
    expect(event('approval.denied')?.details).toMatchObject({ commentLength: text.denial.length });
    expect(event('approval.denied')?.personal?.data).toEqual({ comment: text.denial });
    const before = Object.fromEntries(await Promise.all(logs.map(async (log) => [log, await storedRows(svc.t.db, log)] as const)));
    for (const row of Object.values(before)) expect(row.events).not.toContain(mark);
    const recorded = Object.values(before).map((r) => r.personal).join('\n');
    // The personal parts hold the text (the incident's stays with the incident: its events hold lengths only).
    for (const key of ['tenantName', 'reviewTitle', 'reviewComment', 'denial', 'tokenName', 'tenantRename', 'suspensionReason'] as const) expect(recorded).toContain(text[key]);
    expect(event('approval.requested')?.personal?.data).toEqual({ reason: text.reason });

    // Erasure, as the API offers it: event by event.
    for (const log of logs) {
      const withPersonal = await (log === PLATFORM_TENANT_ID ? svc.t.db.platform((tx) => listAuditEvents(tx, { limit: 10_000 })) : svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx, { limit: 10_000 })));
      for (const e of withPersonal.filter((x) => x.personal && Object.keys(x.personal.data).length > 0)) {
        const res = await call('DELETE', `/v1/tenants/${log}/audit/events/${e.seq}/personal`, s);
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    for (const log of logs) {
      const after = await storedRows(svc.t.db, log);
      expect(after.events).not.toContain(mark);
      expect(after.personal).not.toContain(mark);
    }
    const verified = await Promise.all(logs.map(async (log) => (await verifyAuditLogs(svc.t.db, log))[0]));
    for (const v of verified) expect(v).toMatchObject({ problem: null });
    expect(verified.map((v) => v?.heads)).toEqual([1, 1]);
  });

  it('refuses an event whose hashed details hold free text, and writes nothing', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const count = async () => (await svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx))).length;
    const before = await count();
    const actor = { type: 'system', id: 'test' } as const;
    const hostile: AuditDetails[] = [{ comment: 'two words' }, { nested: { title: 'Q3: admins' } }, { list: ['ok', 'not ok'] }, { email: 'ada@example.com' }, { 'free text key': 1 }];
    for (const details of hostile) {
      await expect(svc.t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:1', details }))).rejects.toThrow(/not a machine value/);
    }
    await expect(svc.t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing: with spaces' }))).rejects.toThrow(/target/);
    expect(await count()).toBe(before);
    // The same text through the personal channel is fine, and erasable.
    const ok = await svc.t.db.tenant(tenant, (tx) =>
      appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:1', details: { commentLength: 9, at: clock.toISOString(), id: randomUUID(), role: 'owner', severity: 'P1' }, personal: { comment: 'two words' } }),
    );
    expect(ok.personal?.data).toEqual({ comment: 'two words' });
  });

  it('refuses a hostile comment before it reaches the log (400 validation_failed)', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    const o = (await svc.steppedUp(owner, HOUR)).accessToken;
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/access-reviews`, o, { title: 'Q3\u0000' }))).toEqual({ status: 400, code: 'validation_failed' });
  });
});
