/**
 * Threat: anyone who knows an email locks that person out, and the lock also blocks step-up during
 * an incident (finding 11). Locks are now per account and source, with a doubling wait; a source
 * also has its own cap across accounts; step-up has its own per-session limit and no sign-in lock
 * reaches it.
 */
import { describe, expect, it } from 'vitest';
import { LoginResponseSchema, SessionTokensSchema } from '../../shared/identity/schemas';
import { SIGN_IN_POLICY } from '../../shared/policy/identity';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { currentCode } from '../identity/totp';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser, type TestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('a stranger trying to lock an owner out on %s', (kind) => {
  let clock = new Date('2026-06-02T08:00:05Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const svc = inProcessService(kind, { now: () => clock });
  let tenant: TenantId;
  let n = 0;
  const nextIp = () => `198.51.100.${++n}`;

  const owner = async (): Promise<TestUser> => {
    tenant ??= await createTestTenant(svc.t.db);
    return createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
  };
  const code = (u: TestUser) => currentCode(u.secret ?? new Uint8Array(), clock);
  const wrongCode = async (u: TestUser) => ((await code(u)) === '000000' ? '111111' : '000000');
  const guess = (email: string, ip: string) => svc.call('POST', '/v1/auth/login', { body: { email, password: 'owner-password-guess' }, ip });
  /** Password and code from `ip`: the session's tokens. */
  const signIn = async (u: TestUser, ip: string) => {
    const first = await svc.call('POST', '/v1/auth/login', { body: { email: u.email, password: u.password }, ip });
    expect(first.statusCode).toBe(200);
    const step = LoginResponseSchema.parse(first.json());
    if (step.next !== 'mfa') throw new Error(`expected mfa, got ${step.next}`);
    const done = await svc.call('POST', '/v1/auth/mfa', { body: { challengeId: step.challengeId, code: await code(u) }, ip });
    expect(done.statusCode).toBe(200);
    return SessionTokensSchema.parse(done.json());
  };
  const stepUp = (token: string, c: string, ip: string) => svc.call('POST', '/v1/auth/step-up', { token, body: { code: c }, ip });

  it("locks only the stranger's address: the owner signs in from theirs and steps up with a correct code", async () => {
    const victim = await owner();
    const attacker = nextIp();
    const home = nextIp();
    // Sequential guesses, then a parallel burst, all from the attacker's address.
    for (let i = 0; i < SIGN_IN_POLICY.accountMaxFailures; i += 1) expect(errorOf(await guess(victim.email, attacker))).toEqual({ status: 401, code: 'invalid_credentials' });
    const burst = await Promise.all(Array.from({ length: 30 }, () => guess(victim.email, attacker)));
    for (const res of burst) {
      expect(errorOf(res)).toEqual({ status: 429, code: 'account_locked' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The owner, from home, is not delayed at all: password, code, session.
    const tokens = await signIn(victim, home);
    // …and confirms a destructive action with a fresh code while the attack goes on.
    tick(30_000);
    expect(errorOf(await guess(victim.email, attacker))).toEqual({ status: 429, code: 'account_locked' });
    const stepped = await stepUp(tokens.accessToken, await code(victim), home);
    expect(stepped.statusCode).toBe(200);
    // The owner's success does not lift the stranger's lock.
    const still = await guess(victim.email, attacker);
    expect(errorOf(still)).toEqual({ status: 429, code: 'account_locked' });
    expect(Number(still.headers['retry-after'])).toBe(SIGN_IN_POLICY.accountLockout - 30);
  });

  it("never blocks step-up with a sign-in lock, even one on the owner's own address", async () => {
    const victim = await owner();
    const shared = nextIp();
    const tokens = await signIn(victim, shared);
    for (let i = 0; i < SIGN_IN_POLICY.accountMaxFailures; i += 1) await guess(victim.email, shared);
    expect(errorOf(await guess(victim.email, shared))).toEqual({ status: 429, code: 'account_locked' });
    tick(30_000);
    expect((await stepUp(tokens.accessToken, await code(victim), shared)).statusCode).toBe(200);
  });

  it('caps an address across accounts: a spray from one address gets 429 rate_limited with Retry-After, the owners elsewhere sign in', async () => {
    const victims = await Promise.all(Array.from({ length: 3 }, () => owner()));
    const sprayer = nextIp();
    const emails = Array.from({ length: SIGN_IN_POLICY.ipMaxFailures }, (_, i) => victims[i]?.email ?? `sprayed-${n}-${i}@example.com`);
    for (const email of emails) expect(errorOf(await guess(email, sprayer)).status).toBe(401);
    const refused = await guess(`someone-else-${n}@example.com`, sprayer);
    expect(errorOf(refused)).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBe(SIGN_IN_POLICY.ipLockout);
    tick(30_000);
    for (const v of victims) await signIn(v, nextIp());
  });

  it('limits wrong step-up codes per session: 429 rate_limited with Retry-After, the right code refused while locked, other sessions unaffected', async () => {
    const victim = await owner();
    const ip = nextIp();
    const stolen = await svc.session(victim);
    const own = await svc.session(victim);
    tick(30_000);
    for (let i = 0; i < SIGN_IN_POLICY.stepUpMaxFailures; i += 1) {
      expect(errorOf(await stepUp(stolen.accessToken, await wrongCode(victim), ip))).toEqual({ status: 403, code: 'invalid_mfa_code' });
    }
    const parallel = await Promise.all(Array.from({ length: 20 }, async () => stepUp(stolen.accessToken, await wrongCode(victim), ip)));
    for (const res of parallel) expect(errorOf(res)).toEqual({ status: 429, code: 'rate_limited' });
    const right = await stepUp(stolen.accessToken, await code(victim), ip);
    expect(errorOf(right)).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(right.headers['retry-after'])).toBe(SIGN_IN_POLICY.stepUpLockout);
    // The person's other session (and sign-in) are not touched by the first session's failures.
    expect((await stepUp(own.accessToken, await code(victim), ip)).statusCode).toBe(200);
    const events = (await svc.t.db.platform(listAuditEvents)).filter((e) => e.target === `session:${stolen.session.id}`);
    expect(events.filter((e) => e.action === 'auth.step_up' && e.outcome === 'failure')).toHaveLength(SIGN_IN_POLICY.stepUpMaxFailures);
    expect(events.filter((e) => e.action === 'auth.step_up_locked')).toHaveLength(1);
    tick(SIGN_IN_POLICY.stepUpLockout * 1000);
    const renewed = SessionTokensSchema.parse((await svc.call('POST', '/v1/auth/refresh', { body: { refreshToken: stolen.refreshToken }, ip })).json());
    expect((await stepUp(renewed.accessToken, await code(victim), ip)).statusCode).toBe(200);
  });
});
