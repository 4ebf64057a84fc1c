import { describe, expect, it } from 'vitest';
import { InviteAcceptedSchema, InviteCreatedSchema, MemberListSchema, MfaPolicyStateSchema, type MemberQuery } from '../../shared/identity/members';
import type { TenantRole } from '../../shared/identity/roles';
import { LoginResponseSchema, MemberSchema, MeSchema, SessionTokensSchema } from '../../shared/identity/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { currentCode } from '../identity/totp';
import { setTenantPolicy } from '../identity/user-repository';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser, sessionFor, type TestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService, type CallOptions } from '../testing/in-process-service';
import { defaultTenantPolicy } from '../auth/sign-in';

const HOUR = 3_600_000;

describe.each(TEST_ENGINES)('users administration on %s', (kind) => {
  let clock = new Date('2026-05-04T09:00:05Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  let ipCounter = 0;

  const svc = inProcessService(kind, { now: () => clock });
  const { keys } = svc;

  const newIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;
  // Each call from its own address: the sign-in steps below would otherwise meet the per-address rate limit.
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, opts: CallOptions = {}) => svc.call(method, url, { ip: newIp(), ...opts });
  const expectError = (res: { statusCode: number; body: string }, status: number, code: string) => expect(errorOf(res)).toEqual({ status, code });
  const member = (tenantId: TenantId, role: TenantRole, mfa = true) => createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId, role }], mfa });
  /** A session with a fresh step-up, as after entering a code. */
  const steppedUp = async (u: TestUser) => (await svc.steppedUp(u, 60_000)).accessToken;
  const loginNext = async (email: string, password: string) => {
    const res = await call('POST', '/v1/auth/login', { body: { email, password } });
    return res.statusCode === 200 ? LoginResponseSchema.parse(res.json()).next : res;
  };
  const list = async (tenant: TenantId, token: string, query: Partial<MemberQuery> = {}) => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const res = await call('GET', `/v1/tenants/${tenant}/members${qs ? `?${qs}` : ''}`, { token });
    expect(res.statusCode).toBe(200);
    return MemberListSchema.parse(res.json());
  };
  const events = (tenant: TenantId) => svc.t.db.tenant(tenant, listAuditEvents);
  const statusOf = async (tenant: TenantId, userId: string) =>
    (await svc.t.db.tenant(tenant, (tx) => tx.query<{ status: string }>('SELECT status FROM memberships WHERE tenant_id = $1 AND user_id = $2', [tenant, userId])))[0]?.status;

  it('lists with filters and sorts, counts MFA enrolment among active members, and refuses viewers (403)', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await member(tenant, 'owner');
    const admin = await member(tenant, 'admin');
    const editor = await member(tenant, 'editor', false);
    const viewer = await member(tenant, 'viewer', false);
    await svc.t.db.platform((tx) => tx.query('UPDATE users SET last_sign_in_at = $2 WHERE id = $1', [admin.userId, new Date(clock.getTime() - 100 * 24 * HOUR).toISOString()]));
    await svc.t.db.platform((tx) => tx.query('UPDATE users SET last_sign_in_at = $2 WHERE id = $1', [owner.userId, clock.toISOString()]));
    const token = await steppedUp(owner);
    expect((await call('POST', `/v1/tenants/${tenant}/invites`, { token, body: { email: `new-${tenant}@example.com`, role: 'viewer' } })).statusCode).toBe(201);

    const all = await list(tenant, token);
    expect(all.counts).toEqual({ enrolled: 2, notEnrolled: 2, invited: 1 });
    expect(all.hasMore).toBe(false);
    expect((await list(tenant, token, { role: 'editor' })).items.map((m) => m.userId)).toEqual([editor.userId]);
    expect((await list(tenant, token, { mfa: 'not_enrolled', status: 'active', sort: 'role' })).items.map((m) => m.userId)).toEqual([editor.userId, viewer.userId]);
    expect((await list(tenant, token, { status: 'invited' })).items.map((m) => m.status)).toEqual(['invited']);
    const stale = await list(tenant, token, { signedInBefore: new Date(clock.getTime() - 30 * 24 * HOUR).toISOString(), status: 'active' });
    expect(new Set(stale.items.map((m) => m.userId))).toEqual(new Set([admin.userId, editor.userId, viewer.userId]));
    expect(stale.counts).toEqual(all.counts);
    const recent = await list(tenant, token, { sort: 'last_sign_in', order: 'desc', limit: 2 });
    expect([recent.items.map((m) => m.userId), recent.hasMore]).toEqual([[owner.userId, admin.userId], true]);
    const paged = await list(tenant, token, { sort: 'role', limit: 2, offset: 1 });
    expect(paged.items.map((m) => m.userId)).toEqual([admin.userId, editor.userId]);

    expectError(await call('GET', `/v1/tenants/${tenant}/members?sort=shoe`, { token }), 400, 'validation_failed');
    expectError(await call('GET', `/v1/tenants/${tenant}/members?limit=100000`, { token }), 400, 'validation_failed');
    expectError(await call('GET', `/v1/tenants/${tenant}/members`, { token: (await sessionFor(svc.t.db, viewer.userId, clock)).accessToken }), 403, 'forbidden');
  });

  it('invites with a single-use token that works once (409 invite_used), and then sign-in asks to enrol MFA', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const token = await steppedUp(admin);
    const email = `invitee-${tenant}@example.com`;
    const res = await call('POST', `/v1/tenants/${tenant}/invites`, { token, body: { email, role: 'editor' } });
    expect(res.statusCode).toBe(201);
    const invite = InviteCreatedSchema.parse(res.json());
    expect(invite.expiresAt).toBe(new Date(clock.getTime() + 72 * HOUR).toISOString());
    expect(invite.member).toMatchObject({ email, role: 'editor', status: 'invited', mfaEnrolled: false });
    // Only the hash is stored.
    const stored = await svc.t.db.tenant(tenant, (tx) => tx.query<{ token_sha256: string }>('SELECT token_sha256 FROM member_invites WHERE tenant_id = $1', [tenant]));
    expect(stored.map((r) => r.token_sha256)).not.toContain(invite.token);
    // Not yet a person who can sign in.
    expectError((await loginNext(email, 'a long enough passphrase 1')) as never, 401, 'invalid_credentials');

    expectError(await call('POST', '/v1/invites/accept', { body: { token: invite.token, password: 'short' } }), 400, 'password_policy');
    expect(await statusOf(tenant, invite.member.userId)).toBe('invited');
    const password = 'a long enough passphrase 1';
    const accepted = await call('POST', '/v1/invites/accept', { body: { token: invite.token, password, displayName: 'Ivy Invitee' } });
    expect(accepted.statusCode).toBe(200);
    expect(InviteAcceptedSchema.parse(accepted.json())).toEqual({ tenantId: tenant, userId: invite.member.userId, role: 'editor' });
    expectError(await call('POST', '/v1/invites/accept', { body: { token: invite.token, password } }), 409, 'invite_used');
    expectError(await call('POST', '/v1/invites/accept', { body: { token: `atst_inv_${'A'.repeat(43)}`, password } }), 404, 'invite_invalid');
    expect(await loginNext(email, password)).toBe('enrol');
    expect((await events(tenant)).filter((e) => e.target === `user:${invite.member.userId}`).map((e) => [e.action, e.details])).toEqual([
      ['member.invited', { role: 'editor', inviteId: invite.inviteId, expiresAt: invite.expiresAt, replacedPending: false }],
      ['member.invite_accepted', { inviteId: invite.inviteId, role: 'editor' }],
    ]);
    // Whether the address had an account is the platform's to know, not the tenant's.
    const platform = (await svc.t.db.platform(listAuditEvents)).filter((e) => e.target === `user:${invite.member.userId}`);
    expect(platform.map((e) => [e.action, e.details])).toEqual([
      ['member.invited', { tenantId: tenant, inviteId: invite.inviteId, newAccount: true }],
      ['member.invite_accepted', { tenantId: tenant, inviteId: invite.inviteId, newAccount: true }],
    ]);
    // No email in the audit details.
    expect(JSON.stringify(await events(tenant))).not.toContain(email);
  });

  it('refuses expired (410 invite_expired) and replaced invites, existing members (409 already_member), and owner invites by admins (403)', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const token = await steppedUp(admin);
    const email = `late-${tenant}@example.com`;
    const first = InviteCreatedSchema.parse((await call('POST', `/v1/tenants/${tenant}/invites`, { token, body: { email, role: 'viewer' } })).json());
    tick(72 * HOUR + 1000);
    expectError(await call('POST', '/v1/invites/accept', { body: { token: first.token, password: 'a long enough passphrase 2' } }), 410, 'invite_expired');
    expect(await statusOf(tenant, first.member.userId)).toBe('invited');
    const token2 = await steppedUp(admin);
    const second = InviteCreatedSchema.parse((await call('POST', `/v1/tenants/${tenant}/invites`, { token: token2, body: { email, role: 'reviewer' } })).json());
    const third = InviteCreatedSchema.parse((await call('POST', `/v1/tenants/${tenant}/invites`, { token: token2, body: { email, role: 'editor' } })).json());
    expectError(await call('POST', '/v1/invites/accept', { body: { token: second.token, password: 'a long enough passphrase 2' } }), 410, 'invite_expired');
    expect((await call('POST', '/v1/invites/accept', { body: { token: third.token, password: 'a long enough passphrase 2' } })).json()).toMatchObject({ role: 'editor' });
    expectError(await call('POST', `/v1/tenants/${tenant}/invites`, { token: token2, body: { email, role: 'viewer' } }), 409, 'already_member');
    expectError(await call('POST', `/v1/tenants/${tenant}/invites`, { token: token2, body: { email: `o-${tenant}@example.com`, role: 'owner' } }), 403, 'forbidden');
    expectError(await call('POST', `/v1/tenants/${tenant}/invites`, { token: token2, body: { email: 'not an email', role: 'viewer' } }), 400, 'validation_failed');
  });

  it('lets an existing account accept only signed in as itself, never with a password (401 auth_required otherwise)', async () => {
    // Sessions must begin after the person's MFA enrolment (made at the real time of provisioning).
    clock = new Date(Math.max(clock.getTime(), Date.now() + 1000));
    const home = await createTestTenant(svc.t.db);
    const other = await createTestTenant(svc.t.db);
    const person = await member(home, 'viewer');
    const admin = await member(other, 'admin');
    const invite = InviteCreatedSchema.parse(
      (await call('POST', `/v1/tenants/${other}/invites`, { token: await steppedUp(admin), body: { email: person.email.toUpperCase(), role: 'reviewer' } })).json(),
    );
    expect(invite.member.userId).toBe(person.userId);
    // Their profile (from another tenant) stays hidden until they accept.
    expect(invite.member).toMatchObject({ displayName: person.email.split('@')[0], mfaEnrolled: false, lastSignInAt: null });
    expectError(await call('POST', '/v1/invites/accept', { body: { token: invite.token, password: person.password } }), 401, 'auth_required');
    expect(await statusOf(other, person.userId)).toBe('invited');
    const own = (await sessionFor(svc.t.db, person.userId, clock)).accessToken;
    expect((await call('POST', '/v1/invites/accept', { token: own, body: { token: invite.token } })).statusCode).toBe(200);
    const me = MeSchema.parse((await call('GET', '/v1/me', { token: own })).json());
    expect(me.memberships.map((m) => m.tenantId).sort()).toEqual([home, other].sort());
    // Now a member: the tenant sees their profile.
    expect((await list(other, await steppedUp(admin), { status: 'active' })).items.find((m) => m.userId === person.userId)).toMatchObject({ mfaEnrolled: true });
  });

  it('deactivates: the user’s access token fails at the very next request (401 session_revoked), sign-in says account_deactivated (403)', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await member(tenant, 'owner');
    const target = await member(tenant, 'editor');
    const targetTokens = await sessionFor(svc.t.db, target.userId, clock);
    expect((await call('GET', '/v1/me', { token: targetTokens.accessToken })).statusCode).toBe(200);
    const ownerPlain = (await sessionFor(svc.t.db, owner.userId, clock)).accessToken;
    expectError(await call('POST', `/v1/tenants/${tenant}/members/${target.userId}/deactivate`, { token: ownerPlain }), 403, 'step_up_required');
    expect(await statusOf(tenant, target.userId)).toBe('active');

    const token = await steppedUp(owner);
    const res = await call('POST', `/v1/tenants/${tenant}/members/${target.userId}/deactivate`, { token });
    expect([res.statusCode, MemberSchema.parse(res.json()).status]).toEqual([200, 'deactivated']);
    expectError(await call('GET', '/v1/me', { token: targetTokens.accessToken }), 401, 'session_revoked');
    expectError(await call('POST', '/v1/auth/refresh', { body: { refreshToken: targetTokens.refreshToken } }), 401, 'session_revoked');
    expectError((await loginNext(target.email, target.password)) as never, 403, 'account_deactivated');
    // A wrong password learns nothing more than before.
    expectError((await loginNext(target.email, 'wrong wrong wrong wrong')) as never, 401, 'invalid_credentials');
    expect((await events(tenant)).find((e) => e.action === 'member.deactivated')?.details).toEqual({ from: 'active', sessionsEnded: 1, apiTokensRevoked: 0 });

    const again = await call('POST', `/v1/tenants/${tenant}/members/${target.userId}/reactivate`, { token });
    expect([again.statusCode, MemberSchema.parse(again.json()).status]).toEqual([200, 'active']);
    expect(await loginNext(target.email, target.password)).toBe('mfa');
    expectError(await call('POST', `/v1/tenants/${tenant}/members/${crypto.randomUUID()}/deactivate`, { token }), 404, 'not_found');
  });

  it('keeps a member deactivated in one tenant working in their other tenants', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const adminA = await member(a, 'admin');
    const person = await createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId: a, role: 'admin' }, { tenantId: b, role: 'viewer' }] });
    expect((await call('POST', `/v1/tenants/${a}/members/${person.userId}/deactivate`, { token: await steppedUp(adminA) })).statusCode).toBe(200);
    expect(await loginNext(person.email, person.password)).toBe('mfa');
    const fresh = (await sessionFor(svc.t.db, person.userId, clock)).accessToken;
    expect(MeSchema.parse((await call('GET', '/v1/me', { token: fresh })).json()).memberships.map((m) => m.tenantId)).toEqual([b]);
    expectError(await call('GET', `/v1/tenants/${a}/members`, { token: fresh }), 403, 'forbidden');
  });

  it('never deactivates the last owner (409 last_owner); only owners deactivate owners (403)', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await member(tenant, 'owner');
    const admin = await member(tenant, 'admin');
    expectError(await call('POST', `/v1/tenants/${tenant}/members/${owner.userId}/deactivate`, { token: await steppedUp(owner) }), 409, 'last_owner');
    expectError(await call('POST', `/v1/tenants/${tenant}/members/${owner.userId}/deactivate`, { token: await steppedUp(admin) }), 403, 'forbidden');
    expect(await statusOf(tenant, owner.userId)).toBe('active');
    // A deactivated owner does not count as "another owner".
    const second = await member(tenant, 'owner');
    const ownerToken = await steppedUp(owner);
    expect((await call('POST', `/v1/tenants/${tenant}/members/${second.userId}/deactivate`, { token: ownerToken })).statusCode).toBe(200);
    expectError(await call('POST', `/v1/tenants/${tenant}/members/${owner.userId}/deactivate`, { token: ownerToken }), 409, 'last_owner');
    expectError(await call('PUT', `/v1/tenants/${tenant}/mfa-policy`, { token: await steppedUp(admin), body: { mfaRequired: 'yes' } }), 400, 'validation_failed');
  });

  it('resets MFA: sessions end, recovery codes go, and the next sign-in must enrol even where the tenant does not require MFA', async () => {
    const tenant = await createTestTenant(svc.t.db);
    await svc.t.db.platform((tx) => setTenantPolicy(tx, tenant, { ...defaultTenantPolicy, mfaRequired: false }));
    const admin = await member(tenant, 'admin');
    const target = await member(tenant, 'viewer');
    const targetTokens = await sessionFor(svc.t.db, target.userId, clock);
    const editor = await member(tenant, 'editor');
    expectError(await call('POST', `/v1/tenants/${tenant}/members/${target.userId}/mfa/reset`, { token: await steppedUp(editor) }), 403, 'forbidden');
    const res = await call('POST', `/v1/tenants/${tenant}/members/${target.userId}/mfa/reset`, { token: await steppedUp(admin) });
    expect([res.statusCode, MemberSchema.parse(res.json()).mfaEnrolled]).toEqual([200, false]);
    expectError(await call('GET', '/v1/me', { token: targetTokens.accessToken }), 401, 'session_revoked');
    expect(await loginNext(target.email, target.password)).toBe('enrol');
    const codes = await svc.t.db.platform((tx) => tx.query('SELECT 1 FROM recovery_codes WHERE user_id = $1', [target.userId]));
    expect(codes).toEqual([]);
    expect((await events(tenant)).find((e) => e.action === 'mfa.reset')?.details).toEqual({ wasEnrolled: true, recoveryCodesDeleted: 10, sessionsEnded: 1 });
  });

  it('completes re-enrolment after a reset and then asks for the new code', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const target = await member(tenant, 'viewer');
    await call('POST', `/v1/tenants/${tenant}/members/${target.userId}/mfa/reset`, { token: await steppedUp(admin) });
    const login = LoginResponseSchema.parse((await call('POST', '/v1/auth/login', { body: { email: target.email, password: target.password } })).json());
    if (login.next !== 'enrol') throw new Error('expected enrol');
    const started = (await call('POST', '/v1/auth/enrol/start', { body: { challengeId: login.challengeId } })).json() as { secret: string };
    const { base32Decode } = await import('../identity/totp');
    const code = await currentCode(base32Decode(started.secret), clock);
    const done = await call('POST', '/v1/auth/enrol/complete', { body: { challengeId: login.challengeId, code } });
    expect(done.statusCode).toBe(200);
    SessionTokensSchema.parse((done.json() as { tokens: unknown }).tokens);
    tick(60_000);
    expect(await loginNext(target.email, target.password)).toBe('mfa');
  });

  it('turns MFA enforcement off only with a remediation plan, on again drops it; strictest tenant wins at sign-in', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const strict = await createTestTenant(svc.t.db);
    const owner = await member(tenant, 'owner');
    const reviewer = await member(tenant, 'reviewer');
    const noMfa = await member(tenant, 'viewer', false);
    const both = await createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'viewer' }, { tenantId: strict, role: 'viewer' }], mfa: false });
    const read = async () => MfaPolicyStateSchema.parse((await call('GET', `/v1/tenants/${tenant}/mfa-policy`, { token: (await sessionFor(svc.t.db, reviewer.userId, clock)).accessToken })).json());
    expect(await read()).toEqual({ mfaRequired: true, remediationPlan: null });
    expect(await loginNext(noMfa.email, noMfa.password)).toBe('enrol');

    const url = `/v1/tenants/${tenant}/mfa-policy`;
    const token = await steppedUp(owner);
    const plan = { ownerUserId: owner.userId, targetDate: '2026-09-30', compensatingControls: 'VPN-only access; weekly access review' };
    expectError(await call('PUT', url, { token: (await sessionFor(svc.t.db, owner.userId, clock)).accessToken, body: { mfaRequired: false, remediationPlan: plan } }), 403, 'step_up_required');
    expectError(await call('PUT', url, { token: await steppedUp(reviewer), body: { mfaRequired: false, remediationPlan: plan } }), 403, 'forbidden');
    expectError(await call('PUT', url, { token, body: { mfaRequired: false } }), 400, 'validation_failed');
    expectError(await call('PUT', url, { token, body: { mfaRequired: false, remediationPlan: { ...plan, ownerUserId: both.userId.replace(/.$/, (c) => (c === '0' ? '1' : '0')) } } }), 400, 'validation_failed');
    expect(await read()).toEqual({ mfaRequired: true, remediationPlan: null });

    const off = await call('PUT', url, { token, body: { mfaRequired: false, remediationPlan: plan } });
    expect([off.statusCode, off.json()]).toEqual([200, { mfaRequired: false, remediationPlan: plan }]);
    expect(await read()).toEqual({ mfaRequired: false, remediationPlan: plan });
    expect(await loginNext(noMfa.email, noMfa.password)).toBe('done');
    expect(await loginNext(both.email, both.password)).toBe('enrol');

    expect((await call('PUT', url, { token, body: { mfaRequired: true } })).json()).toEqual({ mfaRequired: true, remediationPlan: null });
    expect(await read()).toEqual({ mfaRequired: true, remediationPlan: null });
    expect(await loginNext(noMfa.email, noMfa.password)).toBe('enrol');
    const changes = (await events(tenant)).filter((e) => e.action === 'tenant.mfa_policy_changed');
    expect(changes.map((e) => e.details)).toEqual([
      { from: true, mfaRequired: false, remediationPlan: { ownerUserId: plan.ownerUserId, targetDate: plan.targetDate } },
      { from: false, mfaRequired: true },
    ]);
    // The free-text controls are personal data: beside the leaf, erasable.
    expect(changes.map((e) => e.personal?.data)).toEqual([{ compensatingControls: plan.compensatingControls }, {}]);
  });

  it("keeps invites, remediation plans and counts inside their tenant (RLS)", async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    for (const tenant of [a, b]) {
      const owner = await member(tenant, 'owner');
      const token = await steppedUp(owner);
      await call('POST', `/v1/tenants/${tenant}/invites`, { token, body: { email: `rls-${tenant}@example.com`, role: 'viewer' } });
      const plan = { ownerUserId: owner.userId, targetDate: '2026-10-01', compensatingControls: 'Office network only' };
      expect((await call('PUT', `/v1/tenants/${tenant}/mfa-policy`, { token, body: { mfaRequired: false, remediationPlan: plan } })).statusCode).toBe(200);
    }
    for (const table of ['member_invites', 'posture_remediations', 'tenant_member_counts']) {
      const seen = await svc.t.db.tenant(a, (tx) => tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`));
      expect([table, seen.map((r) => r.tenant_id)]).toEqual([table, [a]]);
    }
  });
});
