/**
 * Threat: a parallel burst of wrong passwords slips past the sign-in lockout (finding 3: the lock
 * was checked in one transaction, the password verified outside it and the failure recorded in
 * another, so 60 parallel guesses got 34 real verifications). Each attempt is now reserved before
 * its password is checked; the instrumented hasher counts the verifications that really happened.
 */
import { describe, expect, it } from 'vitest';
import { SIGN_IN_POLICY } from '../../shared/policy/identity';
import { listAuditEvents } from '../audit/audit-log';
import { TEST_ENGINES } from '../testing/databases';
import { countingHasher } from '../testing/counting-hasher';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

const BURST = 60;

describe.each(TEST_ENGINES)('a parallel burst of wrong passwords on %s', (kind) => {
  const clock = new Date('2026-06-01T10:00:00Z');
  const counter = countingHasher();
  const svc = inProcessService(kind, { now: () => clock, wrapHasher: counter.wrap });

  const login = (email: string, password: string, ip: string) => svc.call('POST', '/v1/auth/login', { body: { email, password }, ip });
  const tally = (responses: readonly { statusCode: number; body: string }[]) => {
    const counts = new Map<string, number>();
    for (const r of responses) {
      const { status, code } = errorOf(r);
      counts.set(`${status} ${code}`, (counts.get(`${status} ${code}`) ?? 0) + 1);
    }
    return Object.fromEntries(counts);
  };

  it('checks at most the account limit + 1 passwords of one account, then refuses even the right one (429 account_locked)', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const victim = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    const ip = '203.0.113.10';
    counter.reset();
    const responses = await Promise.all(Array.from({ length: BURST }, (_, i) => login(victim.email, `wrong password number ${i}`, ip)));
    const checked = counter.verifies;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(SIGN_IN_POLICY.accountMaxFailures + 1);
    // Every answer is a refusal with a stable code: a 401 for each password checked, a 429 for the rest.
    expect(tally(responses)).toEqual({ '401 invalid_credentials': checked, '429 account_locked': BURST - checked });

    const right = await login(victim.email, victim.password, ip);
    expect(errorOf(right)).toEqual({ status: 429, code: 'account_locked' });
    expect(Number(right.headers['retry-after'])).toBe(SIGN_IN_POLICY.accountLockout);
    expect(counter.verifies).toBe(checked);

    const events = (await svc.t.db.platform(listAuditEvents)).filter((e) => e.target === `user:${victim.userId}`);
    expect(events.filter((e) => e.action === 'auth.login_failed')).toHaveLength(checked);
    expect(events.filter((e) => e.action === 'auth.account_locked')).toHaveLength(1);
  });

  it('checks at most the address limit + 1 passwords across accounts from one address, then refuses a right one there (429 rate_limited)', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const people = await Promise.all(
      Array.from({ length: 4 }, () => createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'viewer' }] })),
    );
    const ip = '203.0.113.20';
    counter.reset();
    // A spray: the same guess against known and unknown emails.
    const emails = Array.from({ length: BURST }, (_, i) => people[i % people.length]?.email ?? `nobody-${i}@example.com`).map((e, i) =>
      i % 3 === 0 ? `nobody-${i}@example.com` : e,
    );
    const responses = await Promise.all(emails.map((email) => login(email, 'Summer2026!!', ip)));
    const checked = counter.verifies;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(SIGN_IN_POLICY.ipMaxFailures + 1);
    const counts = tally(responses);
    expect(counts['401 invalid_credentials']).toBe(checked);
    expect(Object.keys(counts).every((k) => k === '401 invalid_credentials' || k === '429 rate_limited' || k === '429 account_locked')).toBe(true);

    const person = people[0];
    if (!person) throw new Error('no person');
    const right = await login(person.email, person.password, ip);
    expect(errorOf(right)).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(right.headers['retry-after'])).toBe(SIGN_IN_POLICY.ipLockout);
    expect(counter.verifies).toBe(checked);
    const throttled = (await svc.t.db.platform(listAuditEvents)).filter((e) => e.action === 'auth.ip_throttled');
    expect(throttled).toHaveLength(1);
  });
});
