/**
 * Threat: whoever holds an invite link guesses without limit (finding 2: 30 passwords of an
 * existing account in 665 ms, no second factor, no audit event). POST /v1/invites/accept now
 * carries sign-in's throttle: attempts per token and per address, reserved before anything secret
 * is checked, each failure audited in the platform log.
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

/** How the service refuses a wrong password for an existing account before the token is locked. */
const WRONG = { status: 401, code: 'invalid_credentials' };

describe.each(TEST_ENGINES)('guessing through an invite link on %s', (kind) => {
  const clock = new Date('2026-06-03T12:00:00Z');
  const counter = countingHasher();
  const svc = inProcessService(kind, { now: () => clock, wrapHasher: counter.wrap });
  let n = 0;
  const nextIp = () => `192.0.2.${++n}`;

  /** An invite into a fresh tenant for a person who already has an account elsewhere. */
  const inviteExisting = async (): Promise<{ token: string; inviteId: string; person: TestUser; tenant: TenantId }> => {
    const tenant = await createTestTenant(svc.t.db);
    const home = await createTestTenant(svc.t.db);
    const admin = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    const person = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: home, role: 'owner' }] });
    const token = (await svc.steppedUp(admin)).accessToken;
    const res = await svc.call('POST', `/v1/tenants/${tenant}/invites`, { token, body: { email: person.email, role: 'viewer' }, ip: nextIp() });
    expect(res.statusCode).toBe(201);
    const invite = InviteCreatedSchema.parse(res.json());
    return { token: invite.token, inviteId: invite.inviteId, person, tenant };
  };
  const accept = (token: string, password: string, ip: string) => svc.call('POST', '/v1/invites/accept', { body: { token, password }, ip });
  const platformEvents = () => svc.t.db.platform(listAuditEvents);

  it('locks the token after its limit (429 rate_limited, Retry-After) and refuses even the right password; each failure is audited', async () => {
    const { token, inviteId, person, tenant } = await inviteExisting();
    const ip = nextIp();
    const results = [];
    for (let i = 0; i < 30; i += 1) results.push(errorOf(await accept(token, `guess number ${i}`, ip)));
    expect(results.slice(0, SIGN_IN_POLICY.inviteMaxFailures)).toEqual(Array.from({ length: SIGN_IN_POLICY.inviteMaxFailures }, () => WRONG));
    expect(new Set(results.slice(SIGN_IN_POLICY.inviteMaxFailures).map((r) => `${r.status} ${r.code}`))).toEqual(new Set(['429 rate_limited']));
    const right = await accept(token, person.password, ip);
    expect(errorOf(right)).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(right.headers['retry-after'])).toBe(SIGN_IN_POLICY.inviteLockout);
    // Another address gets no fresh tries on the same token.
    expect(errorOf(await accept(token, person.password, nextIp()))).toEqual({ status: 429, code: 'rate_limited' });
    const events = (await platformEvents()).filter((e) => e.target === `invite:${inviteId}`);
    const failed = events.filter((e) => e.action === 'member.invite_accept_failed');
    expect(failed).toHaveLength(SIGN_IN_POLICY.inviteMaxFailures);
    expect(failed.every((e) => e.outcome === 'failure' && e.details.reason === WRONG.code && e.details.tenantId === tenant)).toBe(true);
    expect(events.filter((e) => e.action === 'auth.invite_locked')).toHaveLength(1);
    // No guess lands in the log.
    expect(JSON.stringify(events)).not.toContain('guess number');
  });

  it('checks at most the limit + 1 passwords in a parallel burst on one token, from many addresses', async () => {
    const { token, inviteId } = await inviteExisting();
    counter.reset();
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => accept(token, `parallel guess ${i}`, nextIp())));
    expect(counter.verifies).toBeLessThanOrEqual(SIGN_IN_POLICY.inviteMaxFailures + 1);
    const refused = responses.filter((r) => errorOf(r).status !== 429);
    expect(refused.length).toBeLessThanOrEqual(SIGN_IN_POLICY.inviteMaxFailures + 1);
    for (const r of refused) expect(errorOf(r)).toEqual(WRONG);
    for (const r of responses.filter((x) => x.statusCode === 429)) expect(errorOf(r).code).toBe('rate_limited');
    const failed = (await platformEvents()).filter((e) => e.target === `invite:${inviteId}` && e.action === 'member.invite_accept_failed');
    expect(failed).toHaveLength(refused.length);
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
