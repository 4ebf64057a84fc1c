/**
 * Remediation plans for any control, per tenant and for the platform: who may set
 * them, who may own them, and what a posture shows of them (never the owner).
 * Attacks: another tenant's admin, an editor or viewer, a non-member or
 * deactivated owner, a target date in the past, parallel writes.
 */
import { describe, expect, it } from 'vitest';
import { MfaPolicyStateSchema } from '../../shared/identity/members';
import { PostureSchema } from '../../shared/posture/api';
import { RemediationPlanListSchema, RemediationPlanSchema } from '../../shared/posture/remediation';
import { PLATFORM_TENANT_ID } from '../db/db';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { evaluatePosture } from './evaluate';
import { postureRuntimeOf } from './posture-handlers';

const DAY = 24 * 60 * 60 * 1000;

describe.each(TEST_ENGINES)('remediation plans, on %s', (kind) => {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit, platformAudit } = membersKit(svc, () => clock);
  const inDays = (n: number) => new Date(clock.getTime() + n * DAY).toISOString().slice(0, 10);
  const url = (tenant: string, control = 'access.reviews') => `/v1/tenants/${tenant}/posture/remediations/${control}`;
  const plan = (ownerUserId: string, over: Record<string, unknown> = {}) => ({
    ownerUserId,
    targetDate: inDays(30),
    compensatingControls: 'Quarterly export reviewed by the CISO',
    ...over,
  });
  const list = async (tenant: string, token: string) => RemediationPlanListSchema.parse((await call('GET', `/v1/tenants/${tenant}/posture/remediations`, { token })).json()).items;
  const postureControl = async (tenant: string, token: string, id: string) =>
    PostureSchema.parse((await call('GET', `/v1/tenants/${tenant}/posture`, { token })).json()).controls.find((c) => c.id === id)!;
  const tenantWithOwner = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    return { tenant, owner, token: (await svc.session(owner)).accessToken };
  };

  it('sets a plan on a failing control: listed with its owner by name, carried by the posture without the owner, audited with the text beside the leaf', async () => {
    const { tenant, owner, token } = await tenantWithOwner();
    const set = await call('PUT', url(tenant), { token, body: plan(owner.userId) });
    expect(set.statusCode, set.body).toBe(200);
    expect(RemediationPlanSchema.parse(set.json())).toMatchObject({ controlId: 'access.reviews', ownerUserId: owner.userId, status: 'open', targetDate: inDays(30) });
    const [listed] = await list(tenant, token);
    expect(listed).toMatchObject({ ownerUserId: owner.userId, ownerDisplayName: expect.any(String) as string, compensatingControls: 'Quarterly export reviewed by the CISO' });
    expect(listed!.ownerDisplayName.length).toBeGreaterThan(0);

    const failing = await postureControl(tenant, token, 'access.reviews');
    expect(failing).toMatchObject({ status: 'fail', remediation: { status: 'open', ownerAssigned: true, overdue: false, targetDate: inDays(30) } });
    expect(JSON.stringify(failing)).not.toContain(owner.userId);
    expect(JSON.stringify(failing)).not.toContain(listed!.ownerDisplayName);
    // A passing control shows no plan, even with one kept.
    expect((await call('PUT', url(tenant, 'incidents.deadlines'), { token, body: plan(owner.userId) })).statusCode).toBe(200);
    expect(await postureControl(tenant, token, 'incidents.deadlines')).not.toHaveProperty('remediation');

    const updated = await call('PUT', url(tenant), { token, body: plan(owner.userId, { status: 'in_progress', compensatingControls: 'Weekly export' }) });
    expect(RemediationPlanSchema.parse(updated.json()).status).toBe('in_progress');
    const events = (await audit(tenant)).filter((e) => e.action === 'posture.remediation_set');
    expect(events.map((e) => e.details)).toEqual([
      { controlId: 'access.reviews', ownerUserId: owner.userId, targetDate: inDays(30), status: 'open', from: null, compensatingControlsLength: 37 },
      { controlId: 'incidents.deadlines', ownerUserId: owner.userId, targetDate: inDays(30), status: 'open', from: null, compensatingControlsLength: 37 },
      { controlId: 'access.reviews', ownerUserId: owner.userId, targetDate: inDays(30), status: 'in_progress', from: 'open', compensatingControlsLength: 13 },
    ]);
    expect(events.map((e) => e.personal?.data)).toEqual([
      { compensatingControls: 'Quarterly export reviewed by the CISO' },
      { compensatingControls: 'Quarterly export reviewed by the CISO' },
      { compensatingControls: 'Weekly export' },
    ]);

    const removed = await svc.call('DELETE', url(tenant), { token });
    expect([removed.statusCode, removed.json()]).toEqual([200, { deleted: true }]);
    expect(errorOf(await svc.call('DELETE', url(tenant), { token }))).toEqual({ status: 404, code: 'remediation_not_found' });
    expect((await audit(tenant)).filter((e) => e.action === 'posture.remediation_deleted').map((e) => e.details)).toEqual([{ controlId: 'access.reviews' }]);
    expect(await postureControl(tenant, token, 'access.reviews')).not.toHaveProperty('remediation');
  });

  it('is overdue once the target date passes unless done; a deactivated owner leaves the plan without an assigned owner', async () => {
    const { tenant, token } = await tenantWithOwner();
    const admin = await person([{ tenantId: tenant, role: 'admin' }]);
    expect((await call('PUT', url(tenant), { token, body: plan(admin.userId, { targetDate: inDays(0) }) })).statusCode).toBe(200);
    const later = new Date(clock.getTime() + 2 * DAY);
    const runtime = postureRuntimeOf({ hasher: svc.hasher, transport: { tls: null, hstsMaxAgeSeconds: null } });
    const at = async (when: Date) => (await evaluatePosture(svc.t.db, tenant, runtime, when)).controls.find((c) => c.id === 'access.reviews')!.remediation;
    expect(await at(later)).toMatchObject({ overdue: true, status: 'open' });
    expect((await call('PUT', url(tenant), { token, body: plan(admin.userId, { targetDate: inDays(0), status: 'done' }) })).statusCode).toBe(200);
    expect(await at(later)).toMatchObject({ overdue: false, status: 'done' });
    await svc.t.engine.query("UPDATE memberships SET status = 'deactivated' WHERE tenant_id = $1 AND user_id = $2", [tenant, admin.userId]);
    expect(await at(clock)).toMatchObject({ ownerAssigned: false });
    expect((await list(tenant, token))[0]).toMatchObject({ ownerUserId: admin.userId });
  });

  it('refuses another tenant’s admin (403), an editor, viewer or reviewer (403), and an unknown tenant (404); nothing is stored', async () => {
    const { tenant, owner, token } = await tenantWithOwner();
    const other = await createTestTenant(svc.t.db);
    const adminOfOther = (await svc.session(await person([{ tenantId: other, role: 'admin' }]))).accessToken;
    await refused(call('PUT', url(tenant), { token: adminOfOther, body: plan(owner.userId) }), 403, 'forbidden');
    await refused(call('GET', `/v1/tenants/${tenant}/posture/remediations`, { token: adminOfOther }), 403, 'forbidden');
    expect(errorOf(await svc.call('DELETE', url(tenant), { token: adminOfOther }))).toEqual({ status: 403, code: 'forbidden' });
    for (const role of ['editor', 'viewer', 'reviewer'] as const) {
      const t = (await svc.session(await person([{ tenantId: tenant, role }]))).accessToken;
      await refused(call('PUT', url(tenant), { token: t, body: plan(owner.userId) }), 403, 'forbidden');
    }
    // A reviewer reads posture, and so the plans.
    const reviewer = (await svc.session(await person([{ tenantId: tenant, role: 'reviewer' }]))).accessToken;
    expect(await list(tenant, reviewer)).toEqual([]);
    const platformAdmin = (await svc.session(await person([], ['platform_admin']))).accessToken;
    await refused(call('PUT', url('7c9e6679-7425-40de-944b-e07fc1f90ae7'), { token: platformAdmin, body: plan(owner.userId) }), 404, 'not_found');
    // The other tenant's rows stay apart: its plan is not listed here (RLS).
    const otherOwner = await person([{ tenantId: other, role: 'owner' }]);
    expect((await call('PUT', url(other), { token: (await svc.session(otherOwner)).accessToken, body: plan(otherOwner.userId) })).statusCode).toBe(200);
    expect(await list(tenant, token)).toEqual([]);
  });

  it('refuses an owner who is not an active owner or admin of the tenant, a past target date, unknown and out-of-scope controls', async () => {
    const { tenant, owner, token } = await tenantWithOwner();
    const other = await createTestTenant(svc.t.db);
    const stranger = await person([{ tenantId: other, role: 'owner' }]);
    const editor = await person([{ tenantId: tenant, role: 'editor' }]);
    const former = await person([{ tenantId: tenant, role: 'admin' }]);
    await svc.t.engine.query("UPDATE memberships SET status = 'deactivated' WHERE tenant_id = $1 AND user_id = $2", [tenant, former.userId]);
    const staff = await person([], ['security_officer']);
    for (const who of [stranger, editor, former, staff]) await refused(call('PUT', url(tenant), { token, body: plan(who.userId) }), 400, 'remediation_owner_invalid');
    await refused(call('PUT', url(tenant), { token, body: plan(owner.userId, { targetDate: inDays(-1) }) }), 400, 'target_date_in_past');
    await refused(call('PUT', url(tenant, 'auth.nothing'), { token, body: plan(owner.userId) }), 404, 'unknown_control');
    await refused(call('PUT', url(tenant, 'transport.tls'), { token, body: plan(owner.userId) }), 400, 'control_not_applicable');
    await refused(call('PUT', url(tenant, 'Auth.MFA;drop'), { token, body: plan(owner.userId) }), 400, 'validation_failed');
    await refused(call('PUT', url(tenant), { token, body: plan(owner.userId, { compensatingControls: 'a\u202eb' }) }), 400, 'validation_failed');
    await refused(call('PUT', url(tenant), { token, body: plan(owner.userId, { status: 'closed' }) }), 400, 'validation_failed');
    expect(await list(tenant, token)).toEqual([]);
    expect((await audit(tenant)).filter((e) => e.action.startsWith('posture.remediation'))).toEqual([]);
  });

  it('parallel PUTs leave one consistent row and one audit event each', async () => {
    const { tenant, owner, token } = await tenantWithOwner();
    const texts = Array.from({ length: 6 }, (_, i) => `Compensation ${i}`);
    const results = await Promise.all(texts.map((t) => call('PUT', url(tenant), { token, body: plan(owner.userId, { compensatingControls: t }) })));
    expect(results.map((r) => r.statusCode)).toEqual(texts.map(() => 200));
    const rows = await svc.t.engine.query<{ compensating_controls: string }>('SELECT compensating_controls FROM posture_remediations WHERE tenant_id = $1', [tenant]);
    expect(rows).toHaveLength(1);
    const events = (await audit(tenant)).filter((e) => e.action === 'posture.remediation_set');
    expect(events).toHaveLength(6);
    // The row holds what the last committed write said.
    expect(rows[0]!.compensating_controls).toBe(events.at(-1)!.personal?.data?.compensatingControls);
  });

  it('the platform keeps its plans under the nil id: a platform admin sets them with a staff owner; tenant-only controls and tenant admins are refused', async () => {
    const admin = await person([], ['platform_admin']);
    const officer = await person([], ['security_officer']);
    const token = (await svc.session(admin)).accessToken;
    const set = await call('PUT', url(PLATFORM_TENANT_ID, 'access.no_break_glass'), { token, body: plan(officer.userId) });
    expect(set.statusCode, set.body).toBe(200);
    expect((await list(PLATFORM_TENANT_ID, token)).map((p) => p.controlId)).toEqual(['access.no_break_glass']);
    const c = await postureControl(PLATFORM_TENANT_ID, token, 'access.no_break_glass');
    expect(c).toMatchObject({ status: 'fail', remediation: { ownerAssigned: true, status: 'open' } });
    await refused(call('PUT', url(PLATFORM_TENANT_ID, 'auth.mfa'), { token, body: plan(officer.userId) }), 400, 'control_not_applicable');
    const { tenant, owner, token: ownerToken } = await tenantWithOwner();
    await refused(call('PUT', url(PLATFORM_TENANT_ID, 'access.no_break_glass'), { token, body: plan(owner.userId) }), 400, 'remediation_owner_invalid');
    await refused(call('PUT', url(PLATFORM_TENANT_ID, 'access.no_break_glass'), { token: ownerToken, body: plan(owner.userId) }), 403, 'forbidden');
    // A tenant does not see the platform's plans.
    expect(await list(tenant, ownerToken)).toEqual([]);
    expect((await platformAudit()).filter((e) => e.action === 'posture.remediation_set')).toHaveLength(1);
  });

  it('the MFA policy and the auth.mfa plan are one: set through either, read through both; enforcement on removes it', async () => {
    const { tenant, owner } = await tenantWithOwner();
    const token = (await svc.steppedUp(owner)).accessToken;
    const mfaPlan = { ownerUserId: owner.userId, targetDate: inDays(20), compensatingControls: 'VPN only' };
    expect((await call('PUT', `/v1/tenants/${tenant}/mfa-policy`, { token, body: { mfaRequired: false, remediationPlan: mfaPlan } })).statusCode).toBe(200);
    expect((await list(tenant, token)).map((p) => [p.controlId, p.compensatingControls, p.status])).toEqual([['auth.mfa', 'VPN only', 'open']]);
    expect((await call('PUT', url(tenant, 'auth.mfa'), { token, body: plan(owner.userId, { status: 'in_progress' }) })).statusCode).toBe(200);
    const policy = MfaPolicyStateSchema.parse((await call('GET', `/v1/tenants/${tenant}/mfa-policy`, { token })).json());
    expect(policy.remediationPlan).toEqual({ ownerUserId: owner.userId, targetDate: inDays(30), compensatingControls: 'Quarterly export reviewed by the CISO' });
    expect(await postureControl(tenant, token, 'auth.mfa')).toMatchObject({ status: 'fail', remediation: { status: 'in_progress' } });
    // Editing the policy's plan keeps the status set in the posture console.
    expect((await call('PUT', `/v1/tenants/${tenant}/mfa-policy`, { token, body: { mfaRequired: false, remediationPlan: mfaPlan } })).statusCode).toBe(200);
    expect((await list(tenant, token))[0]).toMatchObject({ status: 'in_progress', compensatingControls: 'VPN only' });
    expect((await call('PUT', `/v1/tenants/${tenant}/mfa-policy`, { token, body: { mfaRequired: true } })).statusCode).toBe(200);
    expect(await list(tenant, token)).toEqual([]);
  });
});
