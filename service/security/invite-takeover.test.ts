/**
 * Threat: a hostile admin (or API token) of tenant A invites the email of a person
 * of tenant B (here B's owner) and uses the unconsented membership to watch, end
 * and wipe that person's sessions and authenticator (issue 11, finding 1).
 */
import { describe, expect, it } from 'vitest';
import { AccessReviewSchema } from '../../shared/access-reviews/schemas';
import { ApiTokenCreatedSchema } from '../../shared/api-tokens/schemas';
import { InviteCreatedSchema, MemberListSchema } from '../../shared/identity/members';
import { MemberSchema, MeSchema, type SessionTokens } from '../../shared/identity/schemas';
import { ApprovalRequestSchema } from '../../shared/approvals/schemas';
import { SessionListSchema } from '../../shared/sessions/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { setTenantPolicy } from '../identity/user-repository';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, type TestUser } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)('cross-tenant account takeover through an invite, on %s', (kind) => {
  let clock = new Date('2026-06-01T09:00:05Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit, signIn, works } = membersKit(svc, () => clock);
  const token = async (u: TestUser) => (await svc.steppedUp(u)).accessToken;

  const sessionIds = async (tenant: TenantId, bearer: string, query = ''): Promise<string[]> => {
    const res = await call('GET', `/v1/tenants/${tenant}/sessions${query}`, { token: bearer });
    expect(res.statusCode, res.body).toBe(200);
    return SessionListSchema.parse(res.json()).items.map((s) => s.id);
  };
  const invite = async (tenant: TenantId, bearer: string, email: string) => {
    const res = await call('POST', `/v1/tenants/${tenant}/invites`, { token: bearer, body: { email, role: 'admin' } });
    expect(res.statusCode, res.body).toBe(201);
    return InviteCreatedSchema.parse(res.json());
  };
  /** What tenant A's scope itself can read of the person (RLS, not only the service's queries). */
  const visibleInScope = async (tenant: TenantId, userId: string) =>
    svc.t.db.tenant(tenant, async (tx) => ({
      sessions: (await tx.query('SELECT id FROM sessions WHERE user_id = $1', [userId])).length,
      users: (await tx.query('SELECT id FROM users WHERE id = $1', [userId])).length,
      copies: await tx.query<{ mfa_enrolled: boolean; last_sign_in_at: unknown }>('SELECT mfa_enrolled, last_sign_in_at FROM memberships WHERE user_id = $1', [userId]),
    }));
  const mfaState = async (userId: string) =>
    svc.t.db.platform(async (tx) => ({
      enrolled: (await tx.query<{ e: boolean }>('SELECT mfa_enrolled_at IS NOT NULL AS e FROM users WHERE id = $1', [userId]))[0]?.e,
      recoveryCodes: (await tx.query('SELECT 1 FROM recovery_codes WHERE user_id = $1', [userId])).length,
    }));

  const world = async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const adminA = await person([{ tenantId: a, role: 'admin' }]);
    const ownerB = await person([{ tenantId: b, role: 'owner' }]);
    const victim = await signIn(ownerB);
    return { a, b, adminA, ownerB, victim };
  };

  it('an invite of B’s owner grants A nothing: no sessions, profile or MFA state; revoke, MFA reset refused; deactivate only cancels the invite', async () => {
    const { a, b, adminA, ownerB, victim } = await world();
    const bEventsBefore = (await audit(b)).length;
    const adminToken = await token(adminA);
    const invited = await invite(a, adminToken, ownerB.email);
    expect(invited.member).toMatchObject({ userId: ownerB.userId, status: 'invited', displayName: ownerB.email.split('@')[0], mfaEnrolled: false, lastSignInAt: null });

    // Watching: the person's sessions (device, IP) are not listed, not even by user id.
    expect(await sessionIds(a, adminToken)).not.toContain(victim.session.id);
    expect(await sessionIds(a, adminToken, `?userId=${ownerB.userId}`)).toEqual([]);
    // Nor can A's scope read them or the person's profile from the database.
    expect(await visibleInScope(a, ownerB.userId)).toEqual({ sessions: 0, users: 0, copies: [{ mfa_enrolled: false, last_sign_in_at: null }] });
    const listed = MemberListSchema.parse((await call('GET', `/v1/tenants/${a}/members`, { token: adminToken })).json()).items.find((m) => m.userId === ownerB.userId);
    expect(listed).toMatchObject({ status: 'invited', mfaEnrolled: false, lastSignInAt: null, displayName: ownerB.email.split('@')[0] });

    // Ending and wiping: refused as if the person were not a member.
    await refused(call('POST', `/v1/tenants/${a}/sessions/${victim.session.id}/revoke`, { token: adminToken }), 404, 'not_found');
    await refused(call('POST', `/v1/tenants/${a}/members/${ownerB.userId}/sessions/revoke`, { token: adminToken }), 404, 'not_found');
    await refused(call('POST', `/v1/tenants/${a}/members/${ownerB.userId}/mfa/reset`, { token: adminToken }), 404, 'not_found');
    // Deactivating the invited membership cancels the invite and nothing else.
    const deactivated = await call('POST', `/v1/tenants/${a}/members/${ownerB.userId}/deactivate`, { token: adminToken });
    expect([deactivated.statusCode, MemberSchema.parse(deactivated.json()).status]).toEqual([200, 'deactivated']);
    expect((await audit(a)).at(-1)).toMatchObject({ action: 'member.deactivated', details: { from: 'invited', sessionsEnded: 0 } });
    expect(await visibleInScope(a, ownerB.userId)).toMatchObject({ sessions: 0, copies: [{ mfa_enrolled: false, last_sign_in_at: null }] });

    // B's owner is untouched: the session works, MFA and recovery codes are intact, and they still sign in.
    expect(await works(victim)).toBe(true);
    expect(await mfaState(ownerB.userId)).toEqual({ enrolled: true, recoveryCodes: 10 });
    tick(60_000);
    expect(await works(await signIn(ownerB))).toBe(true);
    // Nothing was done to B's owner: B's log has nothing new (sign-ins go to the platform's).
    expect((await audit(b)).slice(bEventsBefore)).toEqual([]);
  });

  it('the inviting tenant’s session limits do not shorten the invited person’s sessions', async () => {
    const { a, adminA, ownerB, victim } = await world();
    await invite(a, await token(adminA), ownerB.email);
    await svc.t.db.platform((tx) => setTenantPolicy(tx, a, { mfaRequired: true, idleTimeout: 900, absoluteTimeout: 900 }));
    tick(20 * 60_000);
    const refreshed = await call('POST', '/v1/auth/refresh', { body: { refreshToken: victim.refreshToken } });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
  });

  it('a tenant API token with members.invite + sessions.read cannot invite and watch', async () => {
    const { a, adminA, ownerB, victim } = await world();
    const created = await call('POST', `/v1/tenants/${a}/api-tokens`, {
      token: await token(adminA),
      body: { name: 'scim', scopes: ['members.invite', 'sessions.read'], expiresAt: new Date(clock.getTime() + 30 * 86_400_000).toISOString() },
    });
    expect(created.statusCode, created.body).toBe(201);
    const machine = ApiTokenCreatedSchema.parse(created.json()).secret;
    await invite(a, machine, ownerB.email);
    expect(await sessionIds(a, machine)).not.toContain(victim.session.id);
    expect(await sessionIds(a, machine, `?userId=${ownerB.userId}`)).toEqual([]);
    expect(await works(victim)).toBe(true);
  });

  it('once the person is an active member of A and B, A ends nothing that serves B: 403 account_wide_action; deactivating ends only A’s access', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const adminA = await person([{ tenantId: a, role: 'admin' }]);
    const both = await person([
      { tenantId: a, role: 'editor' },
      { tenantId: b, role: 'owner' },
    ]);
    const s = await signIn(both);
    const adminToken = await token(adminA);
    // A sees its active member's sessions…
    expect(await sessionIds(a, adminToken)).toContain(s.session.id);
    // …but ending them, or wiping the authenticator, would act on B too.
    await refused(call('POST', `/v1/tenants/${a}/sessions/${s.session.id}/revoke`, { token: adminToken }), 403, 'account_wide_action');
    await refused(call('POST', `/v1/tenants/${a}/members/${both.userId}/sessions/revoke`, { token: adminToken }), 403, 'account_wide_action');
    await refused(call('POST', `/v1/tenants/${a}/members/${both.userId}/mfa/reset`, { token: adminToken }), 403, 'account_wide_action');
    expect(await works(s)).toBe(true);
    expect(await mfaState(both.userId)).toEqual({ enrolled: true, recoveryCodes: 10 });

    // Deactivation ends the membership in A at the next request, and nothing in B.
    const listedInA = async () =>
      MemberListSchema.parse((await call('GET', `/v1/tenants/${a}/members`, { token: adminToken })).json()).items.find((m) => m.userId === both.userId);
    const asActive = await listedInA();
    expect(asActive?.lastSignInAt).not.toBeNull();
    expect((await call('POST', `/v1/tenants/${a}/members/${both.userId}/deactivate`, { token: adminToken })).statusCode).toBe(200);
    expect((await audit(a)).at(-1)).toMatchObject({ action: 'member.deactivated', details: { from: 'active', sessionsEnded: 0 } });
    const me = MeSchema.parse((await call('GET', '/v1/me', { token: s.accessToken })).json());
    expect(me.memberships.map((m) => m.tenantId)).toEqual([b]);
    await refused(call('GET', `/v1/tenants/${a}`, { token: s.accessToken }), 403, 'forbidden');
    expect((await call('GET', `/v1/tenants/${b}/members`, { token: s.accessToken })).statusCode).toBe(200);
    // And A no longer sees that session, nor how the person signs in for B from now on.
    expect(await sessionIds(a, adminToken)).not.toContain(s.session.id);
    tick(60_000);
    await signIn(both);
    expect(await listedInA()).toMatchObject({ status: 'deactivated', lastSignInAt: asActive?.lastSignInAt, mfaEnrolled: true });
  });

  it('a tenant-wide revocation ends the sessions of members of that tenant alone, not of people who also serve another tenant', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    // The requester serves B too: their own other sessions are theirs to end (they asked).
    const adminA = await person([
      { tenantId: a, role: 'admin' },
      { tenantId: b, role: 'viewer' },
    ]);
    const [ownerA, onlyA] = [await person([{ tenantId: a, role: 'owner' }]), await person([{ tenantId: a, role: 'editor' }])];
    const requesterElsewhere = await svc.session(adminA);
    const shared = await person([
      { tenantId: a, role: 'viewer' },
      { tenantId: b, role: 'owner' },
    ]);
    const [local, elsewhere] = [await svc.session(onlyA), await svc.session(shared)];
    const requested = await call('POST', `/v1/tenants/${a}/sessions/revoke-all`, { token: await token(adminA), body: { reason: 'token leak' } });
    expect(requested.statusCode, requested.body).toBe(201);
    const request = ApprovalRequestSchema.parse(requested.json());
    const approved = await call('POST', `/v1/tenants/${a}/approvals/${request.id}/approve`, { token: await token(ownerA), body: { comment: 'yes' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await works(local)).toBe(false);
    expect(await works(elsewhere)).toBe(true);
    expect(await works(requesterElsewhere)).toBe(false);
    expect((await audit(a)).find((e) => e.action === 'session.revoked_all_of_tenant')).toMatchObject({ details: { membersSkipped: 1 } });
  });

  it('platform staff are never reachable from a tenant: their sessions are not listed or revoked, and no admin deactivates, resets or re-roles them', async () => {
    const a = await createTestTenant(svc.t.db);
    const adminA = await person([{ tenantId: a, role: 'admin' }]);
    const ownerA = await person([{ tenantId: a, role: 'owner' }]);
    const staff = await person([{ tenantId: a, role: 'viewer' }], ['security_officer']);
    const s = await signIn(staff);
    for (const actor of [adminA, ownerA]) {
      const bearer = await token(actor);
      expect(await sessionIds(a, bearer)).not.toContain(s.session.id);
      expect(await sessionIds(a, bearer, `?userId=${staff.userId}`)).toEqual([]);
      await refused(call('POST', `/v1/tenants/${a}/sessions/${s.session.id}/revoke`, { token: bearer }), 404, 'not_found');
      await refused(call('POST', `/v1/tenants/${a}/members/${staff.userId}/sessions/revoke`, { token: bearer }), 403, 'forbidden');
      await refused(call('POST', `/v1/tenants/${a}/members/${staff.userId}/deactivate`, { token: bearer }), 403, 'forbidden');
      await refused(call('POST', `/v1/tenants/${a}/members/${staff.userId}/mfa/reset`, { token: bearer }), 403, 'forbidden');
      await refused(call('PATCH', `/v1/tenants/${a}/members/${staff.userId}`, { token: bearer, body: { role: 'admin' } }), 403, 'forbidden');
      await refused(call('POST', `/v1/tenants/${a}/members/remove`, { token: bearer, body: { userIds: [staff.userId], reason: 'cleanup' } }), 403, 'forbidden');
    }
    // Nor does an access review remove or re-role them; keeping them is fine.
    const started = await call('POST', `/v1/tenants/${a}/access-reviews`, { token: await token(adminA), body: { title: 'Q3' } });
    const review = AccessReviewSchema.parse(started.json()).review;
    const item = `/v1/tenants/${a}/access-reviews/${review.id}/items/${staff.userId}`;
    const ownerToken = await token(ownerA);
    await refused(call('PUT', item, { token: ownerToken, body: { decision: 'remove' } }), 403, 'forbidden');
    await refused(call('PUT', item, { token: ownerToken, body: { decision: 'change_role', newRole: 'owner' } }), 403, 'forbidden');
    expect((await call('PUT', item, { token: ownerToken, body: { decision: 'keep' } })).statusCode).toBe(200);
    expect(await works(s)).toBe(true);
    expect(await mfaState(staff.userId)).toEqual({ enrolled: true, recoveryCodes: 10 });
  });

  it('a lock of the account (failed sign-ins) appears in each of the person’s tenants’ logs', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const target = await person([
      { tenantId: a, role: 'editor' },
      { tenantId: b, role: 'owner' },
    ]);
    let status = 0;
    for (let i = 0; i < 30 && status !== 429; i += 1) {
      status = (await svc.call('POST', '/v1/auth/login', { ip: '192.0.2.77', body: { email: target.email, password: `wrong guess ${i}` } })).statusCode;
    }
    expect(status).toBe(429);
    for (const tenant of [a, b]) {
      expect((await audit(tenant)).filter((e) => e.action === 'account.locked').map((e) => [e.target, e.outcome])).toEqual([[`user:${target.userId}`, 'denied']]);
    }
  });

  it('account-wide actions by platform staff appear in the person’s other tenants’ logs, without naming the tenant they were done from', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const c = await createTestTenant(svc.t.db);
    const officer = await person([], ['security_officer']);
    const target = await person([
      { tenantId: a, role: 'editor' },
      { tenantId: b, role: 'owner' },
      { tenantId: c, role: 'viewer' },
    ]);
    const sessions: SessionTokens[] = [await signIn(target), await svc.session(target), await svc.session(target)];
    const officerToken = await token(officer);
    const before = { b: (await audit(b)).length, c: (await audit(c)).length };

    expect((await call('POST', `/v1/tenants/${a}/sessions/${sessions[0]?.session.id}/revoke`, { token: officerToken })).statusCode).toBe(200);
    expect((await call('POST', `/v1/tenants/${a}/members/${target.userId}/sessions/revoke`, { token: officerToken })).statusCode).toBe(200);
    expect((await call('POST', `/v1/tenants/${a}/members/${target.userId}/mfa/reset`, { token: officerToken })).statusCode).toBe(200);
    expect(await mfaState(target.userId)).toEqual({ enrolled: false, recoveryCodes: 0 });

    for (const [tenant, from] of [[b, before.b], [c, before.c]] as const) {
      const events = (await audit(tenant)).slice(from);
      expect(events.map((e) => [e.action, e.target, e.actor.id])).toEqual([
        ['account.session_revoked', `user:${target.userId}`, officer.userId],
        ['account.sessions_ended', `user:${target.userId}`, officer.userId],
        ['account.mfa_reset', `user:${target.userId}`, officer.userId],
      ]);
      expect(JSON.stringify(events)).not.toContain(a);
    }
  });
});
