/**
 * Threat: whoever holds an invite link guesses without limit (finding 2: 30 passwords of an
 * existing account in 665 ms, no second factor, no audit event). An existing account now accepts
 * only signed in as itself, so no password is checked there at all; POST /v1/invites/accept carries
 * sign-in's throttle for what can still be guessed (tokens, per address and per token), reserved
 * before anything is checked, and every failure is audited in the platform log.
 */
import { describe, expect, it } from 'vitest';
import { InviteCreatedSchema } from '../../shared/identity/members';
import { SIGN_IN_POLICY } from '../../shared/policy/identity';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { TEST_ENGINES } from '../testing/databases';
import { countingHasher } from '../testing/counting-hasher';
import { createTestTenant, createTestUser, type TestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

/** How the service answers an existing account's invite without that person's own session. */
const NOT_SIGNED_IN = { status: 401, code: 'auth_required' };

describe.each(TEST_ENGINES)('guessing through an invite link on %s', (kind) => {
  const clock = new Date('2026-06-03T12:00:00Z');
  const counter = countingHasher();
  const svc = inProcessService(kind, { now: () => clock, wrapHasher: counter.wrap });
  const { signIn } = membersKit(svc, () => clock);
  let n = 0;
  const nextIp = () => `192.0.2.${++n}`;

  /** An invite into a fresh tenant for a person who already has an account elsewhere. */
  const inviteExisting = async (): Promise<{ token: string; inviteId: string; person: TestUser; tenant: TenantId }> => {
    const tenant = await createTestTenant(svc.t.db);
    const home = await createTestTenant(svc.t.db);
    const admin = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    const person = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: home, role: 'owner' }], at: new Date(clock.getTime() - 86_400_000) });
    const token = (await svc.steppedUp(admin)).accessToken;
    const res = await svc.call('POST', `/v1/tenants/${tenant}/invites`, { token, body: { email: person.email, role: 'viewer' }, ip: nextIp() });
    expect(res.statusCode).toBe(201);
    const invite = InviteCreatedSchema.parse(res.json());
    return { token: invite.token, inviteId: invite.inviteId, person, tenant };
  };
  const accept = (token: string, password: string, ip: string) => svc.call('POST', '/v1/invites/accept', { body: { token, password }, ip });
  const platformEvents = () => svc.t.db.platform(listAuditEvents);

  it('an existing account is never guessed at: 30 tries without its session are each 401 auth_required, audited, and neither check a password nor lock the link', async () => {
    const { token, inviteId, person } = await inviteExisting();
    const ip = nextIp();
    counter.reset();
    const results = [];
    for (let i = 0; i < 30; i += 1) results.push(errorOf(await accept(token, `guess number ${i}`, ip)));
    expect(results).toEqual(Array.from({ length: 30 }, () => NOT_SIGNED_IN));
    expect(counter.verifies).toBe(0);
    const events = (await platformEvents()).filter((e) => e.target === `invite:${inviteId}`);
    const failed = events.filter((e) => e.action === 'member.invite_accept_failed');
    expect(failed).toHaveLength(30);
    expect(failed.every((e) => e.outcome === 'failure' && e.details.reason === NOT_SIGNED_IN.code)).toBe(true);
    expect(events.filter((e) => e.action === 'auth.invite_locked')).toHaveLength(0);
    expect(JSON.stringify(events)).not.toContain('guess number');
    // Whoever held the link locked nothing: the person, signed in as themselves, accepts.
    const own = await signIn(person);
    expect((await svc.call('POST', '/v1/invites/accept', { body: { token }, token: own.accessToken, ip: nextIp() })).statusCode).toBe(200);
  });

  it('a parallel burst on one token from many addresses checks no password and accepts nothing', async () => {
    const { token, inviteId } = await inviteExisting();
    counter.reset();
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => accept(token, `parallel guess ${i}`, nextIp())));
    expect(counter.verifies).toBe(0);
    // Attempts in flight are reserved against the token: past its limit the rest wait (429) until they are given back.
    const answered = responses.filter((r) => r.statusCode !== 429);
    for (const r of answered) expect(errorOf(r)).toEqual(NOT_SIGNED_IN);
    for (const r of responses.filter((x) => x.statusCode === 429)) expect(errorOf(r).code).toBe('rate_limited');
    expect(answered.length).toBeGreaterThanOrEqual(1);
    const failed = (await platformEvents()).filter((e) => e.target === `invite:${inviteId}` && e.action === 'member.invite_accept_failed');
    expect(failed).toHaveLength(answered.length);
  });

  it('locks a used invite token after its limit (429 rate_limited, Retry-After), audited', async () => {
    const { token, inviteId, person } = await inviteExisting();
    const own = await signIn(person);
    expect((await svc.call('POST', '/v1/invites/accept', { body: { token }, token: own.accessToken, ip: nextIp() })).statusCode).toBe(200);
    const ip = nextIp();
    const results = [];
    for (let i = 0; i < 10; i += 1) results.push(errorOf(await accept(token, `replay ${i}`, ip)));
    expect(results.slice(0, SIGN_IN_POLICY.inviteMaxFailures)).toEqual(Array.from({ length: SIGN_IN_POLICY.inviteMaxFailures }, () => ({ status: 409, code: 'invite_used' })));
    expect(new Set(results.slice(SIGN_IN_POLICY.inviteMaxFailures).map((r) => `${r.status} ${r.code}`))).toEqual(new Set(['429 rate_limited']));
    const last = await accept(token, 'one more', nextIp());
    expect(errorOf(last)).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(last.headers['retry-after'])).toBe(SIGN_IN_POLICY.inviteLockout);
    const events = (await platformEvents()).filter((e) => e.target === `invite:${inviteId}`);
    expect(events.filter((e) => e.action === 'auth.invite_locked')).toHaveLength(1);
  });

  it('throttles an address guessing tokens (404 invite_invalid until the address limit, then 429 rate_limited), audited as unknown invites', async () => {
    const ip = nextIp();
    const before = (await platformEvents()).filter((e) => e.action === 'member.invite_accept_failed' && e.target === 'invite:unknown').length;
    const results = [];
    for (let i = 0; i < 30; i += 1) results.push(errorOf(await accept(`atst_inv_${String(i).padStart(43, 'A')}`, 'a long enough passphrase 1', ip)));
    expect(results.slice(0, SIGN_IN_POLICY.ipMaxFailures)).toEqual(Array.from({ length: SIGN_IN_POLICY.ipMaxFailures }, () => ({ status: 404, code: 'invite_invalid' })));
    expect(new Set(results.slice(SIGN_IN_POLICY.ipMaxFailures).map((r) => `${r.status} ${r.code}`))).toEqual(new Set(['429 rate_limited']));
    // The address's sign-in budget is the same one: no fresh guesses at passwords either.
    expect(errorOf(await svc.call('POST', '/v1/auth/login', { body: { email: 'x@example.com', password: 'y' }, ip }))).toEqual({ status: 429, code: 'rate_limited' });
    const after = (await platformEvents()).filter((e) => e.action === 'member.invite_accept_failed' && e.target === 'invite:unknown').length;
    expect(after - before).toBe(SIGN_IN_POLICY.ipMaxFailures);
  });
});
