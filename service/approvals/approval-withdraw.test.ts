import { describe, expect, it } from 'vitest';
import { ApprovalListSchema, ApprovalRequestSchema, type ApprovalRequest } from '../../shared/approvals/schemas';
import type { SessionTokens } from '../../shared/identity/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import { APPROVAL_POLICY } from '../../shared/policy/approvals';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('withdrawing one’s own approval request on %s', (kind) => {
  let clock = new Date('2026-04-06T08:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, keys, session, steppedUp } = svc;

  const person = (tenantId: TenantId, role: TenantRole) => createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId, role }] });
  const withdraw = (r: { tenantId: string; id: string }, s: SessionTokens) => call('POST', `/v1/tenants/${r.tenantId}/approvals/${r.id}/withdraw`, { token: s.accessToken });
  const approve = (r: { tenantId: string; id: string }, s: SessionTokens) =>
    call('POST', `/v1/tenants/${r.tenantId}/approvals/${r.id}/approve`, { token: s.accessToken, body: { comment: '' } });
  const statusOf = async (id: string) => (await svc.t.engine.query<{ status: string }>('SELECT status FROM approval_requests WHERE id = $1', [id]))[0]?.status;
  const withdrawals = async (tenant: TenantId) => (await svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx))).filter((e) => e.action === 'approval.withdrawn');

  /** An admin asks to revoke every session of the tenant; an owner could approve; an editor's session is what would be revoked. */
  const pendingRevokeAll = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const requester = await person(tenant, 'admin');
    const approver = await steppedUp(await person(tenant, 'owner'));
    const victim = await session(await person(tenant, 'editor'));
    const requesterSession = await steppedUp(requester);
    const res = await call('POST', `/v1/tenants/${tenant}/sessions/revoke-all`, { token: requesterSession.accessToken, body: { reason: 'token leak' } });
    expect(res.statusCode, res.body).toBe(201);
    const request: ApprovalRequest = ApprovalRequestSchema.parse(res.json());
    return { tenant, requester, requesterSession, approver, victim, request };
  };

  it('the requester withdraws a pending request: it is withdrawn, audited once, leaves the approver’s inbox and can no longer be approved', async () => {
    const { tenant, requester, requesterSession, approver, victim, request } = await pendingRevokeAll();
    // A plain session is enough: withdrawing only ever does less.
    const plain = await session(requester);
    const res = await withdraw(request, plain);
    expect(res.statusCode, res.body).toBe(200);
    expect(ApprovalRequestSchema.parse(res.json())).toMatchObject({ status: 'withdrawn', decidedBy: { userId: requester.userId }, mine: true, canDecide: false });
    const events = await withdrawals(tenant);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { type: 'user', id: requester.userId }, target: `approval:${request.id}`, details: { action: 'sessions.revoke_tenant', requestedBy: requester.userId } });

    const inbox = ApprovalListSchema.parse((await call('GET', '/v1/approvals', { token: approver.accessToken })).json()).items;
    expect(inbox.some((r) => r.id === request.id && r.canDecide)).toBe(false);
    expect(errorOf(await approve(request, approver))).toEqual({ status: 409, code: 'approval_decided' });
    expect(errorOf(await withdraw(request, requesterSession))).toEqual({ status: 409, code: 'approval_decided' });
    // The action never ran.
    expect((await call('GET', '/v1/me', { token: victim.accessToken })).statusCode).toBe(200);
    expect(await withdrawals(tenant)).toHaveLength(1);
  });

  it('nobody else can withdraw it: an approver gets 403 approval_not_yours, another tenant’s owner 403 forbidden, an unknown id 404; it stays pending', async () => {
    const { tenant, approver, request } = await pendingRevokeAll();
    expect(errorOf(await withdraw(request, approver))).toEqual({ status: 403, code: 'approval_not_yours' });
    const outsider = await steppedUp(await person(await createTestTenant(svc.t.db), 'owner'));
    expect(errorOf(await withdraw(request, outsider))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await withdraw({ tenantId: tenant, id: '5b0c1d2e-3f40-4a51-8b62-7c83d94ea5f6' }, approver))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/approvals/not-a-uuid/withdraw`, { token: approver.accessToken }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/approvals/${request.id}/withdraw`, {}))).toEqual({ status: 401, code: 'auth_required' });
    expect(await statusOf(request.id)).toBe('pending');
    expect(await withdrawals(tenant)).toHaveLength(0);
  });

  it('only while pending: 409 approval_decided once approved (the action stands), 409 approval_expired past its time limit', async () => {
    const approved = await pendingRevokeAll();
    expect((await approve(approved.request, approved.approver)).statusCode).toBe(200);
    expect(errorOf(await withdraw(approved.request, approved.requesterSession))).toEqual({ status: 409, code: 'approval_decided' });
    expect(await statusOf(approved.request.id)).toBe('approved');

    const late = await pendingRevokeAll();
    clock = new Date(clock.getTime() + APPROVAL_POLICY.requestTtl * 1000 + 1000);
    expect(errorOf(await withdraw(late.request, await session(late.requester)))).toEqual({ status: 409, code: 'approval_expired' });
    expect(await statusOf(late.request.id)).toBe('expired');
    expect(await withdrawals(late.tenant)).toHaveLength(0);
  });

  it('a withdrawal racing an approval: exactly one wins, and the request ends as the winner says', async () => {
    const { tenant, requesterSession, approver, victim, request } = await pendingRevokeAll();
    const [w, a] = await Promise.all([withdraw(request, requesterSession), approve(request, approver)]);
    const codes = [w, a].map((r) => (r.statusCode === 200 ? 200 : errorOf(r).code));
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes).toContain('approval_decided');
    const status = await statusOf(request.id);
    expect(status).toBe(w.statusCode === 200 ? 'withdrawn' : 'approved');
    expect((await call('GET', '/v1/me', { token: victim.accessToken })).statusCode).toBe(status === 'withdrawn' ? 200 : 401);
    expect(await withdrawals(tenant)).toHaveLength(status === 'withdrawn' ? 1 : 0);
  });
});
