/**
 * Threat: a suspended tenant's members (people, and their API tokens) keep using
 * it: any route in the tenant, generated from the route table so a new route is
 * covered without anyone writing a test. The refusal is 403 tenant_suspended, made
 * in one place (the route table, where the route's tenant is known). Their
 * sessions keep working in their other tenants; platform staff still reach the
 * tenant; nothing of its data, sessions or incidents is touched; reinstating
 * gives the members their access back at their next request.
 */
import { describe, expect, it } from 'vitest';
import { ApprovalRequestSchema } from '../../shared/approvals/schemas';
import { InviteCreatedSchema } from '../../shared/identity/members';
import { endpoints, type Endpoint } from '../../shared/api/endpoints';
import type { TenantId } from '../../shared/tenants/tenant';
import { addMembership } from '../identity/user-repository';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { pathParams, urlFor, validBody } from '../testing/route-requests';
import { setUpTwoTenants, type TwoTenants } from '../testing/two-tenants';

const inTenant = Object.entries(endpoints as Record<string, Endpoint>).filter(([, e]) => pathParams(e).includes('tenantId'));

describe.each(TEST_ENGINES)('a suspended tenant, on %s', (kind) => {
  const clock = new Date('2026-05-04T10:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });
  let fixture: Promise<{ fx: TwoTenants; other: TenantId; staff: string; counts: unknown; inviteToken: string }> | undefined;
  const counts = (tenant: string) =>
    svc.t.engine.query(
      `SELECT (SELECT count(*) FROM sessions WHERE revoked_at IS NULL AND user_id IN (SELECT user_id FROM memberships WHERE tenant_id = $1)) AS live_sessions, (SELECT count(*) FROM memberships WHERE tenant_id = $1) AS memberships,
              (SELECT count(*) FROM incident_tenants WHERE tenant_id = $1) AS incidents, (SELECT count(*) FROM api_tokens WHERE tenant_id = $1 AND revoked_at IS NULL) AS tokens`,
      [tenant],
    );

  /** Two tenants; A's owner also owns a third; A is suspended through an approval by two platform staff. */
  const setUp = async () => {
    const fx = await setUpTwoTenants(svc, () => clock);
    const other = await createTestTenant(svc.t.db);
    await svc.t.db.platform((tx) => addMembership(tx, other, fx.a.owner.userId, 'owner', { type: 'system', id: 'test' }));
    const officer = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: ['security_officer'] });
    const admin = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: ['platform_admin'] });
    const invited = await svc.call('POST', `/v1/tenants/${fx.a.tenantId}/invites`, { token: fx.a.ownerToken, body: { email: 'late@example.com', role: 'viewer' } });
    expect(invited.statusCode, invited.body).toBe(201);
    const inviteToken = InviteCreatedSchema.parse(invited.json()).token;
    const before = await counts(fx.a.tenantId);
    const requested = await svc.call('POST', `/v1/tenants/${fx.a.tenantId}/suspend`, { token: (await svc.steppedUp(officer)).accessToken, body: { reason: 'unpaid invoices' } });
    expect(requested.statusCode, requested.body).toBe(202);
    const approval = ApprovalRequestSchema.parse(requested.json());
    // Nothing changes until a second person approves.
    expect((await svc.call('GET', `/v1/tenants/${fx.a.tenantId}/members`, { token: fx.a.ownerToken })).statusCode).toBe(200);
    const staff = (await svc.steppedUp(admin)).accessToken;
    const approved = await svc.call('POST', `/v1/tenants/${fx.a.tenantId}/approvals/${approval.id}/approve`, { token: staff, body: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(ApprovalRequestSchema.parse(approved.json())).toMatchObject({ status: 'approved', result: { status: 'suspended' } });
    return { fx, other, staff, counts: before, inviteToken };
  };
  const f = () => (fixture ??= setUp());

  it('covers every route in a tenant', () => {
    expect(inTenant.length).toBeGreaterThanOrEqual(30);
  });

  it.each(inTenant)('%s refuses the members of the suspended tenant: owner, editor and API token (403 tenant_suspended)', async (_name, e) => {
    const { fx } = await f();
    const url = urlFor(e, fx.a);
    const body = validBody(e, clock);
    const outcomes = [];
    for (const token of [fx.a.ownerToken, fx.a.memberToken, fx.a.apiToken]) {
      outcomes.push(errorOf(await svc.call(e.method, url, { token, ...(body ? { body } : {}) })));
    }
    expect(outcomes).toEqual([
      { status: 403, code: 'tenant_suspended' },
      { status: 403, code: 'tenant_suspended' },
      { status: 403, code: 'tenant_suspended' },
    ]);
  });

  it("keeps the members' sessions for their other tenants, lets platform staff in, and touches no data", async () => {
    const { fx, other, staff, counts: before } = await f();
    expect((await svc.call('GET', `/v1/tenants/${other}/members`, { token: fx.a.ownerToken })).statusCode).toBe(200);
    expect((await svc.call('GET', '/v1/me', { token: fx.a.ownerToken })).statusCode).toBe(200);
    expect((await svc.call('GET', `/v1/tenants/${fx.b.tenantId}/members`, { token: fx.b.ownerToken })).statusCode).toBe(200);
    for (const path of ['', '/settings', '/summary', '/members', `/incidents/${fx.a.incidentId}`]) {
      const res = await svc.call('GET', `/v1/tenants/${fx.a.tenantId}${path}`, { token: staff });
      expect([path, res.statusCode]).toEqual([path, 200]);
    }
    expect(await counts(fx.a.tenantId)).toEqual(before);
    const events = await svc.t.engine.query<{ tenant_id: string }>("SELECT tenant_id FROM audit_events WHERE action = 'tenant.suspended' AND target = $1", [`tenant:${fx.a.tenantId}`]);
    expect(events.map((r) => r.tenant_id).sort()).toEqual(['00000000-0000-0000-0000-000000000000', fx.a.tenantId].sort());
  });

  it('refuses accepting an invite into it (403 tenant_suspended), without spending the invite', async () => {
    const { inviteToken } = await f();
    const body = { token: inviteToken, password: 'correct horse battery staple 4711' };
    expect(errorOf(await svc.call('POST', '/v1/invites/accept', { body }))).toEqual({ status: 403, code: 'tenant_suspended' });
    const rows = await svc.t.engine.query<{ status: string }>("SELECT m.status FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'late@example.com'");
    expect(rows).toEqual([{ status: 'invited' }]);
  });

  it('gives the members their access back when a reinstatement is approved (again by a second person)', async () => {
    const { fx, staff, inviteToken } = await f();
    const officer = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: ['security_officer'] });
    const requested = await svc.call('POST', `/v1/tenants/${fx.a.tenantId}/reinstate`, { token: (await svc.steppedUp(officer)).accessToken, body: { reason: 'paid' } });
    expect(requested.statusCode, requested.body).toBe(202);
    const approval = ApprovalRequestSchema.parse(requested.json());
    expect(errorOf(await svc.call('GET', `/v1/tenants/${fx.a.tenantId}/members`, { token: fx.a.ownerToken }))).toEqual({ status: 403, code: 'tenant_suspended' });
    const approved = await svc.call('POST', `/v1/tenants/${fx.a.tenantId}/approvals/${approval.id}/approve`, { token: staff, body: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await svc.call('GET', `/v1/tenants/${fx.a.tenantId}/members`, { token: fx.a.ownerToken })).statusCode).toBe(200);
    expect((await svc.call('GET', `/v1/tenants/${fx.a.tenantId}/members`, { token: fx.a.apiToken })).statusCode).toBe(200);
    const accepted = await svc.call('POST', '/v1/invites/accept', { body: { token: inviteToken, password: 'correct horse battery staple 4711' } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(errorOf(await svc.call('POST', `/v1/tenants/${fx.a.tenantId}/reinstate`, { token: staff, body: { reason: 'again' } }))).toEqual({ status: 409, code: 'conflict' });
  });
});
