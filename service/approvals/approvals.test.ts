import { beforeAll, describe, expect, it } from 'vitest';
import { ApprovalListSchema, ApprovalRequestSchema, PLATFORM_SCOPE_ID, type ApprovalRequest } from '../../shared/approvals/schemas';
import { MeSchema, type SessionTokens } from '../../shared/identity/schemas';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import { APPROVAL_POLICY } from '../../shared/policy/approvals';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { createFirstOperator } from '../operators/first-operator';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(TEST_ENGINES)('approvals instead of break-glass on %s', (kind) => {
  let operatorToken: string;
  let clock = new Date('2026-04-06T08:00:00Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const svc = inProcessService(kind, { now: () => clock });
  const { call, keys, session, steppedUp } = svc;

  beforeAll(async () => {
    operatorToken = (await createFirstOperator(svc.t.db, { name: 'Ops', tokenLabel: 'cli', actor: { type: 'system', id: 'test' } })).token.token;
  });
  const person = (opts: { tenantId?: TenantId; role?: TenantRole; platformRoles?: PlatformRole[] }) =>
    createTestUser(svc.t.db, keys, svc.hasher, {
      ...(opts.tenantId && opts.role ? { memberships: [{ tenantId: opts.tenantId, role: opts.role }] } : {}),
      ...(opts.platformRoles ? { platformRoles: opts.platformRoles } : {}),
    });
  const me = (s: SessionTokens) => call('GET', '/v1/me', { token: s.accessToken });
  const decide = (verb: 'approve' | 'deny', r: { tenantId: string; id: string }, token: string, comment = 'looked at it') =>
    call('POST', `/v1/tenants/${r.tenantId}/approvals/${r.id}/${verb}`, { token, body: { comment } });
  const created = (res: { statusCode: number; body: string }): ApprovalRequest => {
    expect(res.statusCode, res.body).toBe(201);
    return ApprovalRequestSchema.parse(JSON.parse(res.body));
  };
  const inbox = async (s: SessionTokens) => {
    const res = await call('GET', '/v1/approvals', { token: s.accessToken });
    expect(res.statusCode).toBe(200);
    return ApprovalListSchema.parse(res.json()).items;
  };
  const auditOf = async (scope: string) =>
    scope === PLATFORM_SCOPE_ID ? svc.t.db.platform((tx) => listAuditEvents(tx, { limit: 10_000 })) : svc.t.db.tenant(scope as TenantId, (tx) => listAuditEvents(tx));
  const statusOf = async (id: string) => (await svc.t.engine.query<{ status: string }>('SELECT status FROM approval_requests WHERE id = $1', [id]))[0]?.status;

  const revokeAllRequest = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const requester = await person({ tenantId: tenant, role: 'admin' });
    const approver = await person({ tenantId: tenant, role: 'owner' });
    const editor = await person({ tenantId: tenant, role: 'editor' });
    const victim = await session(editor);
    const requesterSession = await steppedUp(requester);
    const request = created(await call('POST', `/v1/tenants/${tenant}/sessions/revoke-all`, { token: requesterSession.accessToken, body: { reason: 'token leak' } }));
    return { tenant, requester, requesterSession, approver, editor, victim, request };
  };

  it('a tenant-wide revocation runs only when a second person with the role approves it after step-up, audited in order', async () => {
    const { tenant, requester, requesterSession, approver, editor, victim, request } = await revokeAllRequest();
    expect(request).toMatchObject({
      tenantId: tenant,
      status: 'pending',
      reason: 'token leak',
      requestedBy: { userId: requester.userId, email: requester.email },
      expiresAt: new Date(clock.getTime() + APPROVAL_POLICY.requestTtl * 1000).toISOString(),
      mine: true,
      canDecide: false,
    });

    // The requester may not approve their own request, even stepped up: 403 approval_self, nothing changes.
    expect(errorOf(await decide('approve', request, requesterSession.accessToken))).toEqual({ status: 403, code: 'approval_self' });
    // Without the role (an editor), or without step-up: refused, nothing changes.
    expect(errorOf(await decide('approve', request, (await steppedUp(editor)).accessToken))).toEqual({ status: 403, code: 'forbidden' });
    const approverPlain = await session(approver);
    expect(errorOf(await decide('approve', request, approverPlain.accessToken))).toEqual({ status: 403, code: 'step_up_required' });
    // An owner of another tenant learns nothing about this one.
    const outsider = await steppedUp(await person({ tenantId: await createTestTenant(svc.t.db), role: 'owner' }));
    expect(errorOf(await decide('approve', request, outsider.accessToken))).toEqual({ status: 403, code: 'forbidden' });
    expect(await statusOf(request.id)).toBe('pending');
    expect((await me(victim)).statusCode).toBe(200);

    // The approver's inbox offers it; the requester's shows it as theirs, undecidable.
    const approverSession = await steppedUp(approver);
    expect((await inbox(approverSession)).find((r) => r.id === request.id)).toMatchObject({ canDecide: true, mine: false, status: 'pending' });
    expect((await inbox(requesterSession)).find((r) => r.id === request.id)).toMatchObject({ canDecide: false, mine: true });
    expect((await inbox(outsider)).find((r) => r.id === request.id)).toBeUndefined();

    const res = await decide('approve', request, approverSession.accessToken, 'confirmed with the CISO');
    expect(res.statusCode).toBe(200);
    // The editor's two sessions and the approver's other one end; the requester's and the approver's current sessions stay.
    expect(res.json()).toMatchObject({ status: 'approved', decidedBy: { userId: approver.userId }, comment: 'confirmed with the CISO', result: { revoked: 3 } });
    expect(errorOf(await me(victim))).toEqual({ status: 401, code: 'session_revoked' });
    expect(errorOf(await me(approverPlain))).toEqual({ status: 401, code: 'session_revoked' });
    expect((await me(approverSession)).statusCode).toBe(200);
    expect((await me(requesterSession)).statusCode).toBe(200);

    const events = (await auditOf(tenant)).filter((e) => e.action.startsWith('approval.') || e.action.startsWith('session.'));
    expect(events.map((e) => [e.action, e.actor.id, e.target])).toEqual([
      ['approval.requested', requester.userId, `approval:${request.id}`],
      ['session.revoked_all_of_tenant', approver.userId, `tenant:${tenant}`],
      ['approval.approved', approver.userId, `approval:${request.id}`],
    ]);
    expect(events[1]?.details).toMatchObject({ approvalId: request.id, requestedBy: requester.userId, keptSessionId: requesterSession.session.id });

    // Decided: approving or denying again is 409 approval_decided and changes nothing.
    const another = await steppedUp(await person({ tenantId: tenant, role: 'admin' }));
    const count = (await auditOf(tenant)).length;
    expect(errorOf(await decide('approve', request, another.accessToken))).toEqual({ status: 409, code: 'approval_decided' });
    expect(errorOf(await decide('deny', request, another.accessToken))).toEqual({ status: 409, code: 'approval_decided' });
    expect((await auditOf(tenant)).length).toBe(count);
  });

  it('a denied request never runs; the denial and its comment are audited and shown to the requester', async () => {
    const { tenant, requesterSession, approver, victim, request } = await revokeAllRequest();
    const approverSession = await steppedUp(approver);
    const res = await decide('deny', request, approverSession.accessToken, 'not without an incident');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'denied', comment: 'not without an incident', result: null });
    expect((await me(victim)).statusCode).toBe(200);
    expect((await inbox(requesterSession)).find((r) => r.id === request.id)).toMatchObject({ status: 'denied', comment: 'not without an incident', mine: true });
    const last = (await auditOf(tenant)).at(-1);
    // The comment is free text: in the erasable personal part, only its length in the hashed leaf.
    expect([last?.action, last?.actor.id, last?.details.commentLength, last?.personal?.data.comment]).toEqual([
      'approval.denied',
      approver.userId,
      'not without an incident'.length,
      'not without an incident',
    ]);
    expect(last?.details).not.toHaveProperty('comment');
    expect(errorOf(await decide('approve', request, approverSession.accessToken))).toEqual({ status: 409, code: 'approval_decided' });
  });

  it('a request undecided past its time limit expires: 409 approval_expired, the expiry audited once when observed, the action never runs', async () => {
    const { tenant, approver, victim, request } = await revokeAllRequest();
    tick(APPROVAL_POLICY.requestTtl * 1000);
    const approverSession = await steppedUp(approver);
    const before = (await auditOf(tenant)).length;
    expect(errorOf(await decide('approve', request, approverSession.accessToken))).toEqual({ status: 409, code: 'approval_expired' });
    expect(await statusOf(request.id)).toBe('expired');
    expect(await svc.t.engine.query('SELECT revoked_at FROM sessions WHERE id = $1', [victim.session.id])).toEqual([{ revoked_at: null }]);
    const after = (await auditOf(tenant)).slice(before);
    expect(after.map((e) => [e.action, e.actor.type])).toEqual([['approval.expired', 'system']]);
    // Seen again: the same answer, and no second expiry event.
    expect(errorOf(await decide('deny', request, approverSession.accessToken))).toEqual({ status: 409, code: 'approval_expired' });
    expect((await auditOf(tenant)).length).toBe(before + 1);
  });

  it('the inbox records an expiry it observes (a read is enough)', async () => {
    const { tenant, approver, request } = await revokeAllRequest();
    tick(APPROVAL_POLICY.requestTtl * 1000 + 1000);
    const listed = (await inbox(await session(approver))).find((r) => r.id === request.id);
    // No longer offered for a decision, and recorded.
    expect(listed).toBeUndefined();
    expect(await statusOf(request.id)).toBe('expired');
    expect((await auditOf(tenant)).at(-1)?.action).toBe('approval.expired');
  });

  it('bulk removal of members: requested, checked (404 unknown member, 409 last_owner), applied on approval in one transaction', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person({ tenantId: tenant, role: 'owner' });
    const admin = await person({ tenantId: tenant, role: 'admin' });
    const gone = await Promise.all([person({ tenantId: tenant, role: 'editor' }), person({ tenantId: tenant, role: 'viewer' })]);
    const stranger = await person({ tenantId: await createTestTenant(svc.t.db), role: 'viewer' });
    const adminSession = await steppedUp(admin);
    const url = `/v1/tenants/${tenant}/members/remove`;
    const ids = gone.map((u) => u.userId);
    const members = async () =>
      (await svc.t.db.tenant(tenant, (tx) => tx.query<{ user_id: string }>('SELECT user_id FROM memberships ORDER BY user_id'))).map((r) => r.user_id);
    const everyone = [owner.userId, admin.userId, ...ids].sort();

    expect(errorOf(await call('POST', url, { token: adminSession.accessToken, body: { userIds: [...ids, stranger.userId], reason: 'offboarding' } }))).toEqual({
      status: 404,
      code: 'not_found',
    });
    // An admin may not remove an owner; an owner may not remove the last owner.
    expect(errorOf(await call('POST', url, { token: adminSession.accessToken, body: { userIds: [owner.userId], reason: 'x' } }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const ownerSession = await steppedUp(owner);
    expect(errorOf(await call('POST', url, { token: ownerSession.accessToken, body: { userIds: [owner.userId], reason: 'x' } }))).toEqual({
      status: 409,
      code: 'last_owner',
    });
    expect(errorOf(await call('POST', url, { token: adminSession.accessToken, body: { userIds: [], reason: 'x' } }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(await members()).toEqual(everyone);

    const request = created(await call('POST', url, { token: adminSession.accessToken, body: { userIds: ids, reason: 'contractors left' } }));
    expect(request.subject).toEqual({ action: 'members.bulk_remove', userIds: ids });
    expect(await members()).toEqual(everyone);
    expect(errorOf(await decide('approve', request, adminSession.accessToken))).toEqual({ status: 403, code: 'approval_self' });
    const res = await decide('approve', request, ownerSession.accessToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', result: { removed: 2 } });
    expect(await members()).toEqual([owner.userId, admin.userId].sort());
    const removedEvents = (await auditOf(tenant)).filter((e) => e.action === 'member.removed');
    expect(removedEvents.map((e) => [e.target, e.actor.id, e.details.approvalId])).toEqual(
      [...ids].sort().map((id) => [`user:${id}`, owner.userId, request.id]),
    );
  });

  it('a bulk removal that would now leave no owner is refused at approval with 409 last_owner; it stays pending and nothing is removed', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const [o1, o2] = await Promise.all([person({ tenantId: tenant, role: 'owner' }), person({ tenantId: tenant, role: 'owner' })]);
    const admin = await person({ tenantId: tenant, role: 'admin' });
    if (!o1 || !o2) throw new Error('owners');
    const request = created(await call('POST', `/v1/tenants/${tenant}/members/remove`, { token: (await steppedUp(o1)).accessToken, body: { userIds: [o2.userId], reason: 'left' } }));
    // Meanwhile o1 stops being an owner.
    await svc.t.db.tenant(tenant, (tx) => tx.query("UPDATE memberships SET role = 'admin' WHERE user_id = $1", [o1.userId]));
    const before = (await auditOf(tenant)).length;
    expect(errorOf(await decide('approve', request, (await steppedUp(admin)).accessToken))).toEqual({ status: 409, code: 'last_owner' });
    expect(await statusOf(request.id)).toBe('pending');
    expect((await auditOf(tenant)).length).toBe(before);
    const left = await svc.t.db.tenant(tenant, (tx) => tx.query<{ role: string }>('SELECT role FROM memberships WHERE user_id = $1', [o2.userId]));
    expect(left).toEqual([{ role: 'owner' }]);
  });

  it('a platform role granted through approval is time-bounded: it works until its expiry and stops by itself, even for a warm token cache', async () => {
    const officer = await person({ platformRoles: ['security_officer'] });
    const admin = await person({ platformRoles: ['platform_admin'] });
    const tenant = await createTestTenant(svc.t.db);
    const engineer = await person({ tenantId: tenant, role: 'viewer' });
    const officerSession = await steppedUp(officer);
    const engineerSession = await steppedUp(engineer);
    const otherTenant = await createTestTenant(svc.t.db);
    const readOther = (token = engineerSession.accessToken) => call('GET', `/v1/tenants/${otherTenant}`, { token });
    expect(errorOf(await readOther())).toEqual({ status: 403, code: 'forbidden' });

    // A tenant member cannot even ask; the officer asks on the engineer's behalf.
    expect(errorOf(await call('POST', '/v1/platform/role-grants', { token: engineerSession.accessToken, body: { userId: engineer.userId, role: 'auditor', reason: 'x' } }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect(errorOf(await call('POST', '/v1/platform/role-grants', { token: officerSession.accessToken, body: { userId: engineer.userId, role: 'auditor', hours: 73, reason: 'x' } }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    // A standing role can't be re-requested for a time.
    expect(errorOf(await call('POST', '/v1/platform/role-grants', { token: officerSession.accessToken, body: { userId: admin.userId, role: 'platform_admin', reason: 'x' } }))).toEqual({
      status: 409,
      code: 'conflict',
    });
    const request = created(
      await call('POST', '/v1/platform/role-grants', { token: officerSession.accessToken, body: { userId: engineer.userId, role: 'auditor', hours: 2, reason: 'quarterly audit support' } }),
    );
    expect(request).toMatchObject({ tenantId: PLATFORM_SCOPE_ID, subject: { action: 'platform_role.grant', userId: engineer.userId, role: 'auditor', hours: 2 } });
    expect(MeSchema.parse((await me(engineerSession)).json()).platformRoles).toEqual([]);

    // The requester can't approve, and a fellow security officer who is the beneficiary couldn't either.
    expect(errorOf(await decide('approve', request, officerSession.accessToken))).toEqual({ status: 403, code: 'approval_self' });
    // An operator API token (platform_admin, no person behind it) can't be the second person.
    expect(errorOf(await decide('approve', request, operatorToken))).toEqual({ status: 403, code: 'forbidden' });

    const adminSession = await steppedUp(admin);
    const res = await decide('approve', request, adminSession.accessToken);
    expect(res.statusCode).toBe(200);
    const expiresAt = new Date(clock.getTime() + 2 * HOUR).toISOString();
    expect(res.json()).toMatchObject({ status: 'approved', result: { expiresAt } });
    expect(MeSchema.parse((await me(engineerSession)).json()).platformRoles).toEqual(['auditor']);
    expect((await readOther()).statusCode).toBe(200);

    // Just before the expiry it still works (and a cache may hold it); at the expiry it is gone, with no write in between.
    tick(2 * HOUR - 10 * MIN);
    const later = await session(engineer);
    expect((await readOther(later.accessToken)).statusCode).toBe(200);
    // Validated 30 s before the expiry: within the minute a validated token is answered from memory (PGlite's cache).
    // (The first read writes last_seen_at, which clears the cache; the second is remembered.)
    tick(10 * MIN - 30_000);
    expect((await readOther(later.accessToken)).statusCode).toBe(200);
    tick(10_000);
    expect((await readOther(later.accessToken)).statusCode).toBe(200);
    tick(20_000);
    expect(errorOf(await readOther(later.accessToken))).toEqual({ status: 403, code: 'forbidden' });
    expect(MeSchema.parse((await me(later)).json()).platformRoles).toEqual([]);

    // The expiry is audited when platform staff next look at approvals.
    await inbox(await session(admin));
    const platformEvents = (await auditOf(PLATFORM_SCOPE_ID)).filter((e) => e.target === `user:${engineer.userId}` && e.action.startsWith('platform_role.'));
    expect(platformEvents.map((e) => [e.action, e.details.role])).toEqual([
      ['platform_role.granted', 'auditor'],
      ['platform_role.expired', 'auditor'],
    ]);
    expect(await svc.t.engine.query('SELECT role FROM platform_role_grants WHERE user_id = $1', [engineer.userId])).toEqual([]);
  });

  it('the beneficiary of a platform role request cannot approve it', async () => {
    const [a, b, c] = await Promise.all([person({ platformRoles: ['security_officer'] }), person({ platformRoles: ['security_officer'] }), person({ platformRoles: ['platform_admin'] })]);
    if (!a || !b || !c) throw new Error('people');
    const request = created(await call('POST', '/v1/platform/role-grants', { token: (await steppedUp(a)).accessToken, body: { userId: b.userId, role: 'platform_admin', reason: 'migration' } }));
    expect(errorOf(await decide('approve', request, (await steppedUp(b)).accessToken))).toEqual({ status: 403, code: 'approval_self' });
    expect(await statusOf(request.id)).toBe('pending');
    expect((await decide('deny', request, (await steppedUp(c)).accessToken)).statusCode).toBe(200);
  });

  it('there is no bypass: an operator API token can neither request these actions nor decide them', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const someone = await person({ tenantId: tenant, role: 'viewer' });
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/sessions/revoke-all`, { token: operatorToken, body: { reason: 'x' } }))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/members/remove`, { token: operatorToken, body: { userIds: [someone.userId], reason: 'x' } }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect(errorOf(await call('POST', '/v1/platform/role-grants', { token: operatorToken, body: { userId: someone.userId, role: 'platform_admin', reason: 'x' } }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect(errorOf(await call('GET', '/v1/approvals', { token: operatorToken }))).toEqual({ status: 403, code: 'forbidden' });
    expect(await svc.t.engine.query('SELECT id FROM approval_requests WHERE tenant_id = $1', [tenant])).toEqual([]);
  });

  it('unknown requests are 404 in the scope; bad ids and bodies 400', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await steppedUp(await person({ tenantId: tenant, role: 'owner' }));
    expect(errorOf(await decide('approve', { tenantId: tenant, id: '00000000-0000-4000-8000-000000000001' }, owner.accessToken))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await decide('approve', { tenantId: tenant, id: 'nope' }, owner.accessToken))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/approvals/00000000-0000-4000-8000-000000000001/approve`, { token: owner.accessToken, body: { comment: 'x'.repeat(1001) } }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    // A tenant member has no part in the platform's scope.
    expect(errorOf(await decide('approve', { tenantId: PLATFORM_SCOPE_ID, id: '00000000-0000-4000-8000-000000000001' }, owner.accessToken))).toEqual({ status: 403, code: 'forbidden' });
  });
});
