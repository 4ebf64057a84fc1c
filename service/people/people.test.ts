import { describe, expect, it } from 'vitest';
import { ApiTokenCreatedSchema } from '../../shared/api-tokens/schemas';
import { ApprovalRequestSchema } from '../../shared/approvals/schemas';
import { CutOffPlanSchema, CutOffResultSchema, PeopleSearchResultSchema, PersonSchema, type CutOffResult } from '../../shared/people/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';

const REASON = { reason: 'credentials found in a public paste' };

describe.each(TEST_ENGINES)('the person page and one-step cut-off on %s', (kind) => {
  let clock = new Date('2026-05-04T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit, platformAudit, signIn, works } = membersKit(svc, () => clock);
  const token = async (u: Parameters<typeof svc.steppedUp>[0]) => (await svc.steppedUp(u, 60_000)).accessToken;
  const outcomes = (r: CutOffResult) => r.items.map((i) => `${i.kind}@${i.tenantId ?? 'account'}:${i.outcome}${i.code ? `(${i.code})` : ''}`);
  const apiToken = async (tenant: TenantId, u: Parameters<typeof svc.steppedUp>[0]) => {
    const res = await call('POST', `/v1/tenants/${tenant}/api-tokens`, {
      token: await token(u),
      body: { name: 'ci', scopes: ['members.read'], expiresAt: new Date(clock.getTime() + 86_400_000).toISOString() },
    });
    expect(res.statusCode, res.body).toBe(201);
    return ApiTokenCreatedSchema.parse(res.json()).secret;
  };

  it("shows a tenant admin only their tenant's part of a person, and a person they cannot see exactly like nobody (404)", async () => {
    const [a, b] = [await createTestTenant(svc.t.db, 'Acme'), await createTestTenant(svc.t.db, 'Beta')];
    const adminA = await person([{ tenantId: a, role: 'admin' }]);
    const adminB = await person([{ tenantId: b, role: 'admin' }]);
    const both = await person([
      { tenantId: a, role: 'editor' },
      { tenantId: b, role: 'viewer' },
    ]);
    const onlyB = await person([{ tenantId: b, role: 'editor' }]);
    await signIn(both);
    const seen = PersonSchema.parse((await call('GET', `/v1/people/${both.userId}`, { token: await token(adminA) })).json());
    expect(seen.memberships.map((m) => [m.tenantName, m.role, m.status])).toEqual([['Acme', 'editor', 'active']]);
    expect(seen.sessions).toHaveLength(1);
    expect(seen.sessions[0]?.tenantIds).toEqual([a]);
    expect(seen.platformStaff).toBe(false);
    // Nothing of tenant B leaks: not its name, not its log.
    expect(JSON.stringify(seen)).not.toContain(b);
    expect(JSON.stringify(seen)).not.toContain('Beta');

    await refused(call('GET', `/v1/people/${onlyB.userId}`, { token: await token(adminA) }), 404, 'not_found');
    await refused(call('GET', `/v1/people/00000000-0000-4000-8000-000000000001`, { token: await token(adminA) }), 404, 'not_found');
    await refused(call('GET', `/v1/people/${onlyB.userId}/cut-off`, { token: await token(adminA) }), 404, 'not_found');
    await refused(call('POST', `/v1/people/${onlyB.userId}/cut-off`, { token: await token(adminA), body: REASON }), 404, 'not_found');
    expect((await call('GET', `/v1/people/${onlyB.userId}`, { token: await token(adminB) })).statusCode).toBe(200);

    const officer = await person([], ['security_officer']);
    const whole = PersonSchema.parse((await call('GET', `/v1/people/${both.userId}`, { token: await token(officer) })).json());
    expect(whole.memberships.map((m) => m.tenantName).sort()).toEqual(['Acme', 'Beta']);
    expect(whole.recoveryCodesLeft).toBe(both.recoveryCodes.length);
    expect(whole.sessions[0]?.tenantIds.sort()).toEqual([a, b].sort());
  });

  it("shows each session's flag review as the caller's scope made it: the tenant's to its admin, the platform's to staff", async () => {
    const a = await createTestTenant(svc.t.db, 'Acme');
    const adminA = await person([{ tenantId: a, role: 'admin' }]);
    const member = await person([{ tenantId: a, role: 'viewer' }]);
    const staffer = await person([], ['incident_responder']);
    const officer = await person([], ['security_officer']);
    /** A second sign-in from another address is flagged new_ip; the clock moves on so the next code is fresh. */
    const flaggedSignIn = async (u: typeof member) => {
      await signIn(u);
      clock = new Date(clock.getTime() + 30_000);
      return (await signIn(u)).session.id;
    };
    const review = async (scope: string, sessionId: string, reviewer: typeof member) => {
      const res = await call('POST', `/v1/tenants/${scope}/sessions/${sessionId}/flag-review`, { token: await token(reviewer), body: { outcome: 'expected' } });
      expect(res.statusCode, res.body).toBe(200);
    };
    const sessionOn = async (who: typeof member, viewer: typeof member, sessionId: string) =>
      PersonSchema.parse((await call('GET', `/v1/people/${who.userId}`, { token: await token(viewer) })).json()).sessions.find((s) => s.id === sessionId);

    const memberSession = await flaggedSignIn(member);
    expect(await sessionOn(member, adminA, memberSession)).not.toHaveProperty('flagReview');
    await review(a, memberSession, adminA);
    expect((await sessionOn(member, adminA, memberSession))?.flagReview).toEqual({ outcome: 'expected', reviewedAt: clock.toISOString() });
    // The platform's page shows the platform's own reviews, not a tenant's.
    expect(await sessionOn(member, officer, memberSession)).not.toHaveProperty('flagReview');

    const staffSession = await flaggedSignIn(staffer);
    await review('00000000-0000-0000-0000-000000000000', staffSession, officer);
    expect((await sessionOn(staffer, officer, staffSession))?.flagReview).toEqual({ outcome: 'expected', reviewedAt: clock.toISOString() });
    expect((await sessionOn(staffer, officer, staffSession))?.flags).toContain('new_ip');
  });

  it('finds people by name or email only among the tenants the caller administers', async () => {
    const [a, b] = [await createTestTenant(svc.t.db), await createTestTenant(svc.t.db)];
    const admin = await person([{ tenantId: a, role: 'admin' }]);
    const mine = await person([{ tenantId: a, role: 'viewer' }]);
    const theirs = await person([{ tenantId: b, role: 'viewer' }]);
    const t = await token(admin);
    const find = async (q: string) => {
      const res = await call('GET', `/v1/people?q=${encodeURIComponent(q)}`, { token: t });
      expect(res.statusCode, res.body).toBe(200);
      return PeopleSearchResultSchema.parse(res.json()).items.map((i) => i.userId);
    };
    expect(await find(mine.email.slice(2, 14))).toEqual([mine.userId]);
    expect(await find(theirs.email.slice(2, 14))).toEqual([]);
    expect(await find('%%')).toEqual([]);
    await refused(call('GET', '/v1/people?q=a', { token: t }), 400, 'validation_failed');
    const officer = await person([], ['auditor']);
    expect(PeopleSearchResultSchema.parse((await call('GET', `/v1/people?q=${theirs.email.slice(2, 14)}`, { token: await token(officer) })).json()).items.map((i) => i.userId)).toEqual([theirs.userId]);
  });

  it('refuses an editor (403), a stolen API token (403) and oneself (403 cut_off_self)', async () => {
    const a = await createTestTenant(svc.t.db);
    const admin = await person([{ tenantId: a, role: 'admin' }]);
    const editor = await person([{ tenantId: a, role: 'editor' }]);
    const target = await person([{ tenantId: a, role: 'viewer' }]);
    await refused(call('GET', `/v1/people/${target.userId}`, { token: await token(editor) }), 403, 'forbidden');
    // The read-only auditor sees people but is not told (nor may do) a cut-off.
    const auditor = await person([], ['auditor']);
    expect((await call('GET', `/v1/people/${target.userId}`, { token: await token(auditor) })).statusCode).toBe(200);
    await refused(call('GET', `/v1/people/${target.userId}/cut-off`, { token: await token(auditor) }), 403, 'forbidden');
    await refused(call('POST', `/v1/people/${target.userId}/cut-off`, { token: await token(auditor), body: REASON }), 403, 'forbidden');
    await refused(call('POST', `/v1/people/${target.userId}/cut-off`, { token: await token(editor), body: REASON }), 403, 'forbidden');
    const secret = await apiToken(a, admin);
    await refused(call('POST', `/v1/people/${target.userId}/cut-off`, { token: secret, body: REASON }), 403, 'forbidden');
    await refused(call('POST', `/v1/people/${admin.userId}/cut-off`, { token: await token(admin), body: REASON }), 403, 'cut_off_self');
    await refused(call('GET', `/v1/people/${admin.userId}/cut-off`, { token: await token(admin) }), 403, 'cut_off_self');
    // Without a fresh code: step-up first.
    const plain = (await svc.session(admin)).accessToken;
    await refused(call('POST', `/v1/people/${target.userId}/cut-off`, { token: plain, body: REASON }), 403, 'step_up_required');
    expect((await audit(a)).filter((e) => e.target === `user:${target.userId}`)).toEqual([]);
  });

  it("a tenant admin's cut-off deactivates the membership, revokes its tokens and ends the sessions it may; their next call is 401; twice changes nothing", async () => {
    const a = await createTestTenant(svc.t.db);
    const admin = await person([{ tenantId: a, role: 'admin' }]);
    const target = await person([{ tenantId: a, role: 'admin' }]);
    const session = await signIn(target);
    const secret = await apiToken(a, target);
    const t = await token(admin);

    const plan = CutOffPlanSchema.parse((await call('GET', `/v1/people/${target.userId}/cut-off`, { token: t })).json());
    expect(plan.scope).toBe('tenants');
    expect(plan.items.map((i) => `${i.kind}:${i.plan}:${i.count}`)).toEqual(['membership.deactivate:run:null', 'api_tokens.revoke:run:1', 'sessions.end:run:2']);

    const first = CutOffResultSchema.parse((await call('POST', `/v1/people/${target.userId}/cut-off`, { token: t, body: REASON })).json());
    expect(outcomes(first)).toEqual([`membership.deactivate@${a}:ok`, `api_tokens.revoke@${a}:ok`, `sessions.end@${a}:ok`]);
    expect(await works(session)).toBe(false);
    expect((await call('GET', '/v1/me', { token: session.accessToken })).statusCode).toBe(401);
    expect((await call('GET', `/v1/tenants/${a}/members`, { token: secret })).statusCode).toBe(401);
    const actions = (await audit(a)).filter((e) => e.target === `user:${target.userId}`).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['member.deactivated', 'api_token.revoked_all_of_member', 'session.revoked_all_of_user']));

    const again = CutOffResultSchema.parse((await call('POST', `/v1/people/${target.userId}/cut-off`, { token: t, body: REASON })).json());
    expect(again.items.map((i) => i.outcome)).toEqual(['already', 'already', 'already']);
    expect((await audit(a)).filter((e) => e.target === `user:${target.userId}`).map((e) => e.action)).toEqual(actions);
  });

  it("keeps to the caller's tenant: a person active elsewhere keeps their sessions for it, and the refusal is reported beside the items that ran", async () => {
    const [a, b] = [await createTestTenant(svc.t.db), await createTestTenant(svc.t.db)];
    const admin = await person([{ tenantId: a, role: 'admin' }]);
    const target = await person([
      { tenantId: a, role: 'editor' },
      { tenantId: b, role: 'editor' },
    ]);
    const session = await signIn(target);
    const r = CutOffResultSchema.parse((await call('POST', `/v1/people/${target.userId}/cut-off`, { token: await token(admin), body: REASON })).json());
    expect(outcomes(r)).toEqual([`membership.deactivate@${a}:ok`, `api_tokens.revoke@${a}:already`, `sessions.end@${a}:failed(account_wide_action)`]);
    expect(r.items[2]?.reason).toMatch(/other organisations/);
    // Still works for tenant B, no longer for A.
    expect((await call('GET', `/v1/tenants/${b}`, { token: session.accessToken })).statusCode).toBe(200);
    await refused(call('GET', `/v1/tenants/${a}`, { token: session.accessToken }), 403, 'forbidden');
    expect((await audit(b)).filter((e) => e.target === `user:${target.userId}` && e.action.startsWith('member.'))).toEqual([]);
  });

  it('an admin cannot cut off an owner; each tenant reports its own result and a failure hides none of the others', async () => {
    const [a, b] = [await createTestTenant(svc.t.db), await createTestTenant(svc.t.db)];
    const admin = await person([
      { tenantId: a, role: 'admin' },
      { tenantId: b, role: 'owner' },
    ]);
    await person([{ tenantId: a, role: 'owner' }]);
    const target = await person([
      { tenantId: a, role: 'owner' },
      { tenantId: b, role: 'editor' },
    ]);
    const r = CutOffResultSchema.parse((await call('POST', `/v1/people/${target.userId}/cut-off`, { token: await token(admin), body: REASON })).json());
    const byTenant = (t: TenantId) => r.items.filter((i) => i.tenantId === t).map((i) => `${i.outcome}${i.code ? `(${i.code})` : ''}`);
    expect(byTenant(a)).toEqual(['failed(forbidden)', 'failed(forbidden)', 'failed(forbidden)']);
    expect(byTenant(b)[0]).toBe('ok');
  });

  it("a tenant admin never reaches the operator's staff: their sessions are not shown and the cut-off is refused, untouched", async () => {
    const a = await createTestTenant(svc.t.db);
    const admin = await person([{ tenantId: a, role: 'admin' }]);
    const staff = await person([{ tenantId: a, role: 'viewer' }], ['incident_responder']);
    const session = await signIn(staff);
    const seen = PersonSchema.parse((await call('GET', `/v1/people/${staff.userId}`, { token: await token(admin) })).json());
    expect([seen.sessions, seen.platformStaff]).toEqual([[], false]);
    const r = CutOffResultSchema.parse((await call('POST', `/v1/people/${staff.userId}/cut-off`, { token: await token(admin), body: REASON })).json());
    expect(r.items.map((i) => `${i.outcome}(${i.code})`)).toEqual(['failed(forbidden)', 'failed(forbidden)', 'failed(forbidden)']);
    expect(await works(session)).toBe(true);
  });

  it('parallel double cut-off is consistent: one deactivation, one set of events, both report success', async () => {
    const a = await createTestTenant(svc.t.db);
    const [x, y] = [await person([{ tenantId: a, role: 'admin' }]), await person([{ tenantId: a, role: 'owner' }])];
    const target = await person([{ tenantId: a, role: 'viewer' }]);
    const [tx, ty] = [await token(x), await token(y)];
    const results = await Promise.all([tx, ty].map((t) => call('POST', `/v1/people/${target.userId}/cut-off`, { token: t, body: REASON })));
    const parsed = results.map((res) => CutOffResultSchema.parse(res.json()));
    expect(parsed.map((p) => p.items[0]?.outcome).sort()).toEqual(['already', 'ok']);
    expect((await audit(a)).filter((e) => e.action === 'member.deactivated' && e.target === `user:${target.userId}`)).toHaveLength(1);
  });

  it('platform staff lock the whole account, end every session and token and reset MFA, audited per item; sign-in then fails', async () => {
    const [a, b] = [await createTestTenant(svc.t.db), await createTestTenant(svc.t.db)];
    const officer = await person([], ['security_officer']);
    const target = await person([
      { tenantId: a, role: 'admin' },
      { tenantId: b, role: 'editor' },
    ]);
    const session = await signIn(target);
    const secret = await apiToken(a, target);
    const t = await token(officer);
    const plan = CutOffPlanSchema.parse((await call('GET', `/v1/people/${target.userId}/cut-off`, { token: t })).json());
    expect(plan.items.map((i) => `${i.kind}:${i.plan}`)).toEqual(['account.lock:run', 'sessions.end:run', 'api_tokens.revoke:run', 'mfa.reset:run']);
    const r = CutOffResultSchema.parse((await call('POST', `/v1/people/${target.userId}/cut-off`, { token: t, body: REASON })).json());
    expect(outcomes(r)).toEqual(['account.lock@account:ok', 'sessions.end@account:ok', 'api_tokens.revoke@account:ok', 'mfa.reset@account:ok']);
    expect(await works(session)).toBe(false);
    expect((await call('GET', `/v1/tenants/${a}/members`, { token: secret })).statusCode).toBe(401);
    const login = await call('POST', '/v1/auth/login', { body: { email: target.email, password: target.password } });
    expect(login.statusCode).not.toBe(200);
    const actions = (await platformAudit()).filter((e) => e.target === `user:${target.userId}` && e.action.startsWith('account.')).map((e) => e.action);
    expect(actions).toEqual(['account.cut_off_locked', 'account.sessions_ended', 'account.api_tokens_revoked', 'account.mfa_reset']);
    // Each of their tenants sees what happened to its member's account.
    expect((await audit(b)).filter((e) => e.target === `user:${target.userId}` && e.action.startsWith('account.')).map((e) => e.action)).toEqual(actions);
    const page = PersonSchema.parse((await call('GET', `/v1/people/${target.userId}`, { token: t })).json());
    expect([page.accountStatus, page.mfaEnrolled, page.recoveryCodesLeft, page.sessions.length]).toEqual(['locked', false, 0, 0]);
    // The page's recent events come from every log concerned, each named.
    const lockedIn = page.recentAudit.filter((e) => e.event.action === 'account.cut_off_locked').map((e) => e.tenantName);
    expect(lockedIn).toHaveLength(3);
    expect(lockedIn).toContain('Platform');
    const again = CutOffResultSchema.parse((await call('POST', `/v1/people/${target.userId}/cut-off`, { token: t, body: REASON })).json());
    expect(again.items.map((i) => i.outcome)).toEqual(['already', 'already', 'already', 'already']);
  });

  it('cutting off platform staff needs another platform admin: a request is created, nothing runs until it is approved', async () => {
    const officer = await person([], ['security_officer']);
    const other = await person([], ['platform_admin']);
    const staff = await person([], ['incident_responder']);
    const session = await signIn(staff);
    const plan = CutOffPlanSchema.parse((await call('GET', `/v1/people/${staff.userId}/cut-off`, { token: await token(officer) })).json());
    expect(plan.items.find((i) => i.kind === 'account.lock')).toMatchObject({ plan: 'approval', reason: expect.stringMatching(/another platform admin/) });
    const res = await call('POST', `/v1/people/${staff.userId}/cut-off`, { token: await token(officer), body: REASON });
    expect(res.statusCode, res.body).toBe(200);
    const r = CutOffResultSchema.parse(res.json());
    expect(r.items[0]?.outcome).toBe('approval_requested');
    expect(await works(session)).toBe(true);
    const approvalId = r.items[0]?.approvalId ?? '';
    // Asking again adds no second request.
    const again = CutOffResultSchema.parse((await call('POST', `/v1/people/${staff.userId}/cut-off`, { token: await token(officer), body: REASON })).json());
    expect(again.items[0]?.approvalId).toBe(approvalId);
    const platformScope = '00000000-0000-0000-0000-000000000000';
    await refused(call('POST', `/v1/tenants/${platformScope}/approvals/${approvalId}/approve`, { token: await token(officer), body: {} }), 403, 'approval_self');
    const approved = await call('POST', `/v1/tenants/${platformScope}/approvals/${approvalId}/approve`, { token: await token(other), body: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(ApprovalRequestSchema.parse(approved.json()).status).toBe('approved');
    expect(await works(session)).toBe(false);
  });
});
