/**
 * Threat: whoever holds an invite link of an existing account guesses that
 * account's password on POST /v1/invites/accept (no second factor, no limit), or
 * accepts it as somebody else (issue 11, finding 2). An existing account now
 * accepts only signed in as itself, in a session begun with its second factor;
 * no password of an existing account is ever checked there.
 */
import { describe, expect, it } from 'vitest';
import { ApiTokenCreatedSchema } from '../../shared/api-tokens/schemas';
import { InviteCreatedSchema } from '../../shared/identity/members';
import type { TenantId } from '../../shared/tenants/tenant';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser, sessionFor } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)('invite acceptance by an invite-link holder, on %s', (kind) => {
  // After the real time at which test users enrol MFA: a session must begin after enrolment.
  let clock = new Date(Date.now() + 60_000);
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, signIn } = membersKit(svc, () => clock);
  const accept = (body: object, token?: string) => call('POST', '/v1/invites/accept', { body, ...(token ? { token } : {}) });
  const statusIn = async (tenant: TenantId, userId: string) =>
    (await svc.t.db.tenant(tenant, (tx) => tx.query<{ status: string }>('SELECT status FROM memberships WHERE tenant_id = $1 AND user_id = $2', [tenant, userId])))[0]?.status;

  const inviteOf = async (tenant: TenantId, email: string) => {
    const admin = await person([{ tenantId: tenant, role: 'admin' }]);
    const res = await call('POST', `/v1/tenants/${tenant}/invites`, { token: (await svc.steppedUp(admin)).accessToken, body: { email, role: 'admin' } });
    expect(res.statusCode, res.body).toBe(201);
    return { admin, invite: InviteCreatedSchema.parse(res.json()) };
  };

  it('an existing account is never accepted with a password: guesses and even the right one get 401 auth_required, and nothing changes', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const ownerB = await person([{ tenantId: b, role: 'owner' }]);
    const { invite } = await inviteOf(a, ownerB.email);
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => accept({ token: invite.token, password: `guess number ${i} of thirty` })));
    // A burst from one address is also held back by the throttle (429) while attempts are in flight.
    for (const res of guesses) expect([[401, 'auth_required'], [429, 'rate_limited']]).toContainEqual([res.statusCode, JSON.parse(res.body).error.code]);
    expect(guesses.some((res) => res.statusCode === 401)).toBe(true);
    await refused(accept({ token: invite.token, password: ownerB.password }), 401, 'auth_required');
    await refused(accept({ token: invite.token }), 401, 'auth_required');
    expect(await statusIn(a, ownerB.userId)).toBe('invited');
  });

  it('refuses anyone but the invited person: another person’s session or an API token (403 invite_other_account), a forged token (401)', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const ownerB = await person([{ tenantId: b, role: 'owner' }]);
    const { admin, invite } = await inviteOf(a, ownerB.email);
    const intruder = await signIn(await person([{ tenantId: b, role: 'viewer' }]));
    await refused(accept({ token: invite.token }, intruder.accessToken), 403, 'invite_other_account');
    // The inviting admin's own API token is a machine, not the person.
    const created = await call('POST', `/v1/tenants/${a}/api-tokens`, {
      token: (await svc.steppedUp(admin)).accessToken,
      body: { name: 'bot', scopes: ['members.read'], expiresAt: new Date(clock.getTime() + 86_400_000).toISOString() },
    });
    await refused(accept({ token: invite.token }, ApiTokenCreatedSchema.parse(created.json()).secret), 403, 'invite_other_account');
    await refused(accept({ token: invite.token }, `atst_at_${'A'.repeat(43)}`), 401, 'invalid_token');
    expect(await statusIn(a, ownerB.userId)).toBe('invited');
  });

  it('needs a session begun with the second factor (403 enrolment_required otherwise); signed in as itself, the person accepts', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    // A password-only account (a tenant that does not enforce MFA) cannot accept on its password alone.
    const passwordOnly = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: b, role: 'viewer' }], mfa: false });
    const first = await inviteOf(a, passwordOnly.email);
    await refused(accept({ token: first.invite.token }, (await sessionFor(svc.t.db, passwordOnly.userId, clock)).accessToken), 403, 'enrolment_required');
    expect(await statusIn(a, passwordOnly.userId)).toBe('invited');

    const ownerB = await person([{ tenantId: b, role: 'owner' }]);
    const { invite } = await inviteOf(a, ownerB.email);
    // A session from before the person's (re-)enrolment did not pass the second factor.
    const before = await sessionFor(svc.t.db, ownerB.userId, clock);
    tick(60_000);
    await svc.t.db.platform((tx) => tx.query('UPDATE users SET mfa_enrolled_at = $2 WHERE id = $1', [ownerB.userId, clock.toISOString()]));
    await refused(accept({ token: invite.token }, before.accessToken), 403, 'enrolment_required');
    tick(60_000);
    const own = await signIn(ownerB);
    const res = await accept({ token: invite.token }, own.accessToken);
    expect([res.statusCode, res.json()]).toEqual([200, { tenantId: a, userId: ownerB.userId, role: 'admin' }]);
    expect(await statusIn(a, ownerB.userId)).toBe('active');
    await refused(accept({ token: invite.token }, own.accessToken), 409, 'invite_used');
  });

  it('a new account still sets its password on acceptance, and only as itself', async () => {
    const a = await createTestTenant(svc.t.db);
    const email = `new-${a}@example.com`;
    const { invite } = await inviteOf(a, email);
    await refused(accept({ token: invite.token }), 400, 'password_policy');
    const someone = await signIn(await person([{ tenantId: a, role: 'viewer' }]));
    await refused(accept({ token: invite.token, password: 'a long enough passphrase 9' }, someone.accessToken), 403, 'invite_other_account');
    expect(await statusIn(a, invite.member.userId)).toBe('invited');
    expect((await accept({ token: invite.token, password: 'a long enough passphrase 9' })).statusCode).toBe(200);
    expect(await statusIn(a, invite.member.userId)).toBe('active');
  });
});
