/**
 * Reviewing anomalous sign-in flags. Attacks: another tenant's admin (its own
 * tenant's path with our session: 404; our path: 403), an editor (403), no
 * step-up (403), reviewing one's own sign-in (403 review_self), reviewing twice
 * or twice at once (409 already_reviewed), a session without flags (409), a
 * tenant ending an account-wide session (403), a tenant admin on the platform's path.
 */
import { describe, expect, it } from 'vitest';
import type { SessionTokens } from '../../shared/identity/schemas';
import { FlagReviewResultSchema, SessionListSchema } from '../../shared/sessions/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID } from '../db/db';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, type TestUser } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('flagged sign-ins reviewed, on %s', (kind) => {
  let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit, platformAudit, signIn, works } = membersKit(svc, () => clock);
  const url = (tenant: string, sessionId: string) => `/v1/tenants/${tenant}/sessions/${sessionId}/flag-review`;
  /** A second sign-in from another address: flagged new_ip (each kit call comes from its own address). */
  const flaggedSignIn = async (u: TestUser): Promise<SessionTokens> => {
    await signIn(u);
    // The next authenticator code: a code works once.
    clock = new Date(clock.getTime() + 30_000);
    return signIn(u);
  };
  const setUp = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await person([{ tenantId: tenant, role: 'admin' }]);
    const member = await person([{ tenantId: tenant, role: 'viewer' }]);
    return { tenant, admin, member, token: (await svc.steppedUp(admin)).accessToken };
  };
  const listed = async (tenant: TenantId, token: string, id: string) =>
    SessionListSchema.parse((await call('GET', `/v1/tenants/${tenant}/sessions`, { token })).json()).items.find((i) => i.id === id);

  it('expected: recorded, shown in the session list, audited with the note beside the leaf; a second review is 409', async () => {
    const { tenant, member, token } = await setUp();
    const flagged = await flaggedSignIn(member);
    expect((await listed(tenant, token, flagged.session.id))?.flags).toContain('new_ip');
    expect(await listed(tenant, token, flagged.session.id)).not.toHaveProperty('flagReview');
    const res = await call('POST', url(tenant, flagged.session.id), { token, body: { outcome: 'expected', note: 'Travelling to Lyon, confirmed by phone' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(FlagReviewResultSchema.parse(res.json())).toEqual({ sessionId: flagged.session.id, outcome: 'expected', reviewedAt: clock.toISOString(), sessionRevoked: false });
    expect((await listed(tenant, token, flagged.session.id))?.flagReview).toEqual({ outcome: 'expected', reviewedAt: clock.toISOString() });
    expect(await works(flagged)).toBe(true);
    await refused(call('POST', url(tenant, flagged.session.id), { token, body: { outcome: 'suspicious' } }), 409, 'already_reviewed');
    expect(await works(flagged)).toBe(true);
    const events = (await audit(tenant)).filter((e) => e.action === 'session.flags_reviewed');
    expect(events.map((e) => e.details)).toEqual([{ userId: member.userId, outcome: 'expected', flags: expect.arrayContaining(['new_ip']) as string[], sessionRevoked: false, noteLength: 38 }]);
    expect(events[0]?.personal?.data).toEqual({ note: 'Travelling to Lyon, confirmed by phone' });
  });

  it('suspicious: ends the session at once and says so, audited as a revocation too', async () => {
    const { tenant, member, token } = await setUp();
    const flagged = await flaggedSignIn(member);
    const res = await call('POST', url(tenant, flagged.session.id), { token, body: { outcome: 'suspicious' } });
    expect([res.statusCode, FlagReviewResultSchema.parse(res.json()).sessionRevoked]).toEqual([200, true]);
    expect(await works(flagged)).toBe(false);
    const actions = (await audit(tenant)).map((e) => e.action);
    expect(actions.filter((a) => a === 'session.revoked' || a === 'session.flags_reviewed')).toEqual(['session.revoked', 'session.flags_reviewed']);
  });

  it('refuses other tenants, editors, missing step-up, one’s own sign-in, unflagged sessions; nothing is recorded', async () => {
    const { tenant, admin, member, token } = await setUp();
    const flagged = await flaggedSignIn(member);
    const other = await createTestTenant(svc.t.db);
    const otherAdmin = await person([{ tenantId: other, role: 'admin' }]);
    const otherToken = (await svc.steppedUp(otherAdmin)).accessToken;
    // Through its own tenant's path, our member's session is not its to find; through ours it has no role.
    await refused(call('POST', url(other, flagged.session.id), { token: otherToken, body: { outcome: 'suspicious' } }), 404, 'not_found');
    await refused(call('POST', url(tenant, flagged.session.id), { token: otherToken, body: { outcome: 'suspicious' } }), 403, 'forbidden');
    const editor = (await svc.steppedUp(await person([{ tenantId: tenant, role: 'editor' }]))).accessToken;
    await refused(call('POST', url(tenant, flagged.session.id), { token: editor, body: { outcome: 'expected' } }), 403, 'forbidden');
    await refused(call('POST', url(tenant, flagged.session.id), { token: (await svc.session(admin)).accessToken, body: { outcome: 'expected' } }), 403, 'step_up_required');
    await refused(call('POST', url(tenant, flagged.session.id), { token, body: { outcome: 'fine' } }), 400, 'validation_failed');
    await refused(call('POST', url(tenant, flagged.session.id), { token, body: { outcome: 'expected', note: 'a\u0000b' } }), 400, 'validation_failed');
    const own = await flaggedSignIn(admin);
    await refused(call('POST', url(tenant, own.session.id), { token, body: { outcome: 'expected' } }), 403, 'review_self');
    const plain = await svc.session(member);
    await refused(call('POST', url(tenant, plain.session.id), { token, body: { outcome: 'expected' } }), 409, 'session_not_flagged');
    await refused(call('POST', url(tenant, '7c9e6679-7425-40de-944b-e07fc1f90ae7'), { token, body: { outcome: 'expected' } }), 404, 'not_found');
    expect((await audit(tenant)).filter((e) => e.action === 'session.flags_reviewed')).toEqual([]);
    expect((await audit(other)).filter((e) => e.action === 'session.flags_reviewed')).toEqual([]);
    expect(await works(flagged)).toBe(true);
  });

  it('parallel reviews of one sign-in: one succeeds, the rest are 409, one review and one event stored', async () => {
    const { tenant, member, token } = await setUp();
    const flagged = await flaggedSignIn(member);
    const results = await Promise.all(
      (['expected', 'suspicious', 'expected', 'suspicious'] as const).map((outcome) => call('POST', url(tenant, flagged.session.id), { token, body: { outcome } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect((await audit(tenant)).filter((e) => e.action === 'session.flags_reviewed')).toHaveLength(1);
    const rows = await svc.t.engine.query('SELECT 1 FROM session_flag_reviews WHERE session_id = $1', [flagged.session.id]);
    expect(rows).toHaveLength(1);
  });

  it('suspicious for a person active in another tenant is account-wide: 403 for the tenant, nothing stored; expected is still the tenant’s call', async () => {
    const { tenant, token } = await setUp();
    const other = await createTestTenant(svc.t.db);
    const shared = await person([
      { tenantId: tenant, role: 'viewer' },
      { tenantId: other, role: 'viewer' },
    ]);
    const flagged = await flaggedSignIn(shared);
    await refused(call('POST', url(tenant, flagged.session.id), { token, body: { outcome: 'suspicious' } }), 403, 'account_wide_action');
    expect(await works(flagged)).toBe(true);
    expect((await call('POST', url(tenant, flagged.session.id), { token, body: { outcome: 'expected' } })).statusCode).toBe(200);
  });

  it('the platform reviews its staff’s sign-ins under the nil id; a tenant admin cannot, and staff sessions are not a tenant’s', async () => {
    const { tenant, token } = await setUp();
    const officer = await person([], ['security_officer']);
    const staffer = await person([{ tenantId: tenant, role: 'viewer' }], ['incident_responder']);
    const flagged = await flaggedSignIn(staffer);
    await refused(call('POST', url(tenant, flagged.session.id), { token, body: { outcome: 'expected' } }), 404, 'not_found');
    await refused(call('POST', url(PLATFORM_TENANT_ID, flagged.session.id), { token, body: { outcome: 'expected' } }), 403, 'forbidden');
    const officerToken = (await svc.steppedUp(officer)).accessToken;
    const res = await call('POST', url(PLATFORM_TENANT_ID, flagged.session.id), { token: officerToken, body: { outcome: 'suspicious' } });
    expect([res.statusCode, FlagReviewResultSchema.parse(res.json()).sessionRevoked]).toEqual([200, true]);
    expect(await works(flagged)).toBe(false);
    expect((await platformAudit()).filter((e) => e.action === 'session.flags_reviewed')).toHaveLength(1);
    // A non-staff member's session is not the platform's to review here.
    const { member } = await setUp();
    await refused(call('POST', url(PLATFORM_TENANT_ID, (await flaggedSignIn(member)).session.id), { token: officerToken, body: { outcome: 'expected' } }), 404, 'not_found');
  });
});
