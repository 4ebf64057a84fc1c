import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../shared/api/endpoints';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import {
  EnrolCompleteResponseSchema,
  EnrolStartResponseSchema,
  LoginResponseSchema,
  MeSchema,
  SessionTokensSchema,
  type SessionTokens,
} from '../../shared/identity/schemas';
import { MemberListSchema } from '../../shared/identity/members';
import { SESSION_POLICY, SIGN_IN_POLICY } from '../../shared/policy/identity';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { ephemeralKeyRing } from '../crypto/key-ring';
import { buildServer } from '../http/server';
import { argon2Hasher, ARGON2_TEST_PARAMS, type PasswordHasher } from '../identity/passwords';
import { base32Decode, currentCode } from '../identity/totp';
import { setTenantPolicy } from '../identity/user-repository';
import { createTestTenant, createTestUser, sessionFor, type TestUser } from '../testing/identity-fixtures';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { createFirstOperator } from '../operators/first-operator';

const MIN = 60_000;

describe.each(TEST_ENGINES)('sign-in, sessions and authorisation on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let hasher: PasswordHasher;
  const keys = ephemeralKeyRing();
  let clock = new Date('2026-03-02T09:00:05Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  let ipCounter = 0;
  let tenantA: TenantId;
  let tenantB: TenantId;
  let operatorToken: string;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    app = await buildServer({ db: t.db, tls: null, logger: false, keys, hasher, now: () => clock });
    await app.ready();
    tenantA = await createTestTenant(t.db, 'Tenant A');
    tenantB = await createTestTenant(t.db, 'Tenant B');
    operatorToken = (await createFirstOperator(t.db, { name: 'Op', tokenLabel: 't', actor: { type: 'system', id: 'test' } })).token.token;
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  /** Each test signs in from its own address, so per-IP limits don't leak between tests. */
  const newIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, opts: { body?: object; token?: string; ip?: string } = {}) =>
    app.inject({
      method,
      url,
      remoteAddress: opts.ip ?? '192.0.2.1',
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body ? { 'content-type': 'application/json' } : {}) },
      ...(opts.body ? { payload: JSON.stringify(opts.body) } : {}),
    });
  const expectError = (res: { statusCode: number; body: string }, status: number, code: string) =>
    expect({ status: res.statusCode, code: ApiErrorBodySchema.safeParse(JSON.parse(res.body)).data?.error.code }).toEqual({ status, code });
  const code = (u: TestUser) => currentCode(u.secret ?? new Uint8Array(), clock);
  const login = async (u: TestUser, ip: string) => {
    const res = await call('POST', '/v1/auth/login', { body: { email: u.email, password: u.password }, ip });
    expect(res.statusCode).toBe(200);
    return LoginResponseSchema.parse(res.json());
  };
  const signIn = async (u: TestUser, ip = newIp()): Promise<SessionTokens> => {
    const first = await login(u, ip);
    if (first.next !== 'mfa') throw new Error(`expected mfa, got ${first.next}`);
    const res = await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: await code(u) }, ip });
    expect(res.statusCode).toBe(200);
    return SessionTokensSchema.parse(res.json());
  };
  const member = (tenantId: TenantId, role: 'owner' | 'admin' | 'editor' | 'reviewer' | 'viewer', mfa = true) =>
    createTestUser(t.db, keys, hasher, { memberships: [{ tenantId, role }], mfa });

  it('signs in with password and TOTP, and /v1/me describes the person', async () => {
    const u = await member(tenantA, 'admin');
    const tokens = await signIn(u);
    expect(tokens.accessToken).toMatch(/^atst_at_[A-Za-z0-9_-]{43}$/);
    expect(tokens.refreshToken).toMatch(/^atst_rt_[A-Za-z0-9_-]{43}$/);
    expect(new Date(tokens.accessExpiresAt).getTime() - clock.getTime()).toBe(SESSION_POLICY.accessTokenTtl * 1000);
    const me = MeSchema.parse((await call('GET', '/v1/me', { token: tokens.accessToken })).json());
    expect(me).toMatchObject({
      user: { id: u.userId, email: u.email },
      platformRoles: [],
      memberships: [{ tenantId: tenantA, tenantName: 'Tenant A', role: 'admin' }],
      mfa: { enrolled: true, recoveryCodesRemaining: 10 },
      session: { id: tokens.session.id, stepUpUntil: null },
    });
    // Only hashes are stored.
    const stored = JSON.stringify(await t.engine.query('SELECT * FROM session_tokens'));
    expect(stored).not.toContain(tokens.accessToken.slice(8));
    expect(stored).not.toContain(tokens.refreshToken.slice(8));
  });

  it('refuses a wrong password and an unknown email alike: 401 invalid_credentials', async () => {
    const u = await member(tenantA, 'viewer');
    const ip = newIp();
    const wrong = await call('POST', '/v1/auth/login', { body: { email: u.email, password: 'not the password' }, ip });
    const unknown = await call('POST', '/v1/auth/login', { body: { email: `nobody-${u.email}`, password: 'not the password' }, ip });
    expectError(wrong, 401, 'invalid_credentials');
    expectError(unknown, 401, 'invalid_credentials');
    const strip = (b: string) => ({ ...ApiErrorBodySchema.parse(JSON.parse(b)).error, requestId: '' });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    const events = await t.db.platform(listAuditEvents);
    expect(events.filter((e) => e.action === 'auth.login_failed').map((e) => e.details.reason)).toEqual(
      expect.arrayContaining(['wrong_password', 'unknown_email']),
    );
    expect(JSON.stringify(events)).not.toContain('not the password');
  });

  it('refuses a wrong code (401 invalid_mfa_code) and a replayed one (401 mfa_code_replayed)', async () => {
    const u = await member(tenantA, 'editor');
    const ip = newIp();
    const first = await login(u, ip);
    if (first.next !== 'mfa') throw new Error('expected mfa');
    const good = await code(u);
    const bad = good === '000000' ? '111111' : '000000';
    expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: bad }, ip }), 401, 'invalid_mfa_code');
    expect((await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: good }, ip })).statusCode).toBe(200);
    // The same code again, within its window, on a new challenge.
    const second = await login(u, ip);
    if (second.next !== 'mfa') throw new Error('expected mfa');
    expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: second.challengeId, code: good }, ip }), 401, 'mfa_code_replayed');
    // A spent challenge is refused.
    expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: good }, ip }), 401, 'challenge_invalid');
    // The next step's code works.
    tick(30_000);
    expect((await call('POST', '/v1/auth/mfa', { body: { challengeId: second.challengeId, code: await code(u) }, ip })).statusCode).toBe(200);
  });

  it('locks the account after too many wrong codes, spends the challenge, and lets challenges expire', async () => {
    const u = await member(tenantA, 'editor');
    const ip = newIp();
    const first = await login(u, ip);
    if (first.next !== 'mfa') throw new Error('expected mfa');
    const good = await code(u);
    const bad = good === '000000' ? '111111' : '000000';
    for (let i = 0; i < SIGN_IN_POLICY.challengeMaxAttempts; i += 1) {
      expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: bad }, ip }), 401, 'invalid_mfa_code');
    }
    // Wrong codes count against the account as wrong passwords do.
    expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: good }, ip }), 429, 'account_locked');
    tick(SIGN_IN_POLICY.accountLockout * 1000);
    expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: await code(u) }, ip }), 401, 'challenge_invalid');
    const second = await login(u, ip);
    if (second.next !== 'mfa') throw new Error('expected mfa');
    tick(SIGN_IN_POLICY.challengeTtl * 1000);
    expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: second.challengeId, code: await code(u) }, ip }), 401, 'challenge_invalid');
  });

  it('accepts a recovery code once (any case, dash optional), then 401 invalid_recovery_code', async () => {
    const u = await member(tenantA, 'viewer');
    const ip = newIp();
    const recovery = u.recoveryCodes[0] ?? '';
    const first = await login(u, ip);
    if (first.next !== 'mfa') throw new Error('expected mfa');
    const res = await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, recoveryCode: recovery.replace('-', '').toUpperCase() }, ip });
    expect(res.statusCode).toBe(200);
    const me = MeSchema.parse((await call('GET', '/v1/me', { token: SessionTokensSchema.parse(res.json()).accessToken })).json());
    expect(me.mfa.recoveryCodesRemaining).toBe(9);
    const second = await login(u, ip);
    if (second.next !== 'mfa') throw new Error('expected mfa');
    expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: second.challengeId, recoveryCode: recovery }, ip }), 401, 'invalid_recovery_code');
    const events = await t.db.platform(listAuditEvents);
    expect(events.some((e) => e.action === 'auth.recovery_code_used' && e.target === `user:${u.userId}`)).toBe(true);
  });

  it('makes a user without MFA enrol where a tenant requires it; signs in directly where none does', async () => {
    const u = await member(tenantA, 'editor', false);
    const ip = newIp();
    const first = await login(u, ip);
    expect(first.next).toBe('enrol');
    if (first.next !== 'enrol') return;
    // The challenge is for enrolment only.
    expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: '123456' }, ip }), 401, 'challenge_invalid');
    expectError(await call('POST', '/v1/auth/enrol/complete', { body: { challengeId: first.challengeId, code: '123456' }, ip }), 401, 'challenge_invalid');
    const started = EnrolStartResponseSchema.parse((await call('POST', '/v1/auth/enrol/start', { body: { challengeId: first.challengeId }, ip })).json());
    expect(started.otpauthUri).toContain(encodeURIComponent(u.email).replace('%40', '@').slice(0, 3));
    const secret = base32Decode(started.secret);
    const good = await currentCode(secret, clock);
    const bad = good === '000000' ? '111111' : '000000';
    expectError(await call('POST', '/v1/auth/enrol/complete', { body: { challengeId: first.challengeId, code: bad }, ip }), 401, 'invalid_mfa_code');
    const done = EnrolCompleteResponseSchema.parse((await call('POST', '/v1/auth/enrol/complete', { body: { challengeId: first.challengeId, code: good }, ip })).json());
    expect(done.recoveryCodes).toHaveLength(10);
    for (const c of done.recoveryCodes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const stored = JSON.stringify(await t.engine.query('SELECT * FROM user_credentials WHERE user_id = $1', [u.userId]));
    expect(stored).not.toContain(started.secret);
    // Now MFA is enrolled: the next sign-in asks for a code, and the enrolment code is spent.
    const again = await login(u, ip);
    expect(again.next).toBe('mfa');
    if (again.next === 'mfa') {
      expectError(await call('POST', '/v1/auth/mfa', { body: { challengeId: again.challengeId, code: good }, ip }), 401, 'mfa_code_replayed');
    }

    const relaxed = await createTestTenant(t.db);
    await t.db.platform((tx) => setTenantPolicy(tx, relaxed, { mfaRequired: false, idleTimeout: 3600, absoluteTimeout: 7200 }));
    const plain = await createTestUser(t.db, keys, hasher, { mfa: false, memberships: [{ tenantId: relaxed, role: 'viewer' }] });
    const direct = await login(plain, ip);
    expect(direct.next).toBe('done');
    if (direct.next === 'done') {
      // The session takes the tenant's stricter limits.
      expect(new Date(direct.tokens.session.absoluteExpiresAt).getTime() - clock.getTime()).toBe(7200 * 1000);
    }
    // Platform staff always need MFA.
    const staff = await createTestUser(t.db, keys, hasher, { mfa: false, platformRoles: ['auditor'] });
    expect((await login(staff, ip)).next).toBe('enrol');
  });

  it('locks an account for the source that failed (429 account_locked, Retry-After), with a wait that doubles per further failure', async () => {
    const u = await member(tenantA, 'viewer');
    const ip = newIp();
    const wrong = () => call('POST', '/v1/auth/login', { body: { email: u.email, password: 'wrong password!' }, ip });
    for (let i = 0; i < SIGN_IN_POLICY.accountMaxFailures; i += 1) expectError(await wrong(), 401, 'invalid_credentials');
    // Even the right password is refused from this address now.
    const locked = await call('POST', '/v1/auth/login', { body: { email: u.email, password: u.password }, ip });
    expectError(locked, 429, 'account_locked');
    expect(Number(locked.headers['retry-after'])).toBe(SIGN_IN_POLICY.accountLockout);
    // Unknown emails lock the same way (nothing to learn from the 429).
    const ghostIp = newIp();
    for (let i = 0; i < SIGN_IN_POLICY.accountMaxFailures; i += 1) {
      await call('POST', '/v1/auth/login', { body: { email: 'ghost@example.com', password: 'wrong password!' }, ip: ghostIp });
    }
    expectError(await call('POST', '/v1/auth/login', { body: { email: 'ghost@example.com', password: 'x' }, ip: ghostIp }), 429, 'account_locked');
    // Each further failure after a lock doubles the wait, up to the cap.
    let expected: number = SIGN_IN_POLICY.accountLockout;
    for (let n = 1; n <= 8; n += 1) {
      tick(expected * 1000);
      expectError(await wrong(), 401, 'invalid_credentials');
      expected = Math.min(SIGN_IN_POLICY.accountLockout * 2 ** n, SIGN_IN_POLICY.accountMaxLockout);
      expect(Number((await call('POST', '/v1/auth/login', { body: { email: u.email, password: u.password }, ip })).headers['retry-after'])).toBe(expected);
    }
    expect(expected).toBe(SIGN_IN_POLICY.accountMaxLockout);
    tick(expected * 1000);
    expect((await login(u, ip)).next).toBe('mfa');
    const events = await t.db.platform(listAuditEvents);
    expect(events.filter((e) => e.action === 'auth.account_locked' && e.target === `user:${u.userId}`).map((e) => e.details.lockoutSeconds)).toEqual([
      60, 120, 240, 480, 960, 1920, 3600, 3600, 3600,
    ]);
  });

  it('throttles an address after repeated failures: 429 rate_limited', async () => {
    const ip = newIp();
    for (let i = 0; i < SIGN_IN_POLICY.ipMaxFailures; i += 1) {
      await call('POST', '/v1/auth/login', { body: { email: `spray-${i}@example.com`, password: 'Summer2026!!' }, ip });
    }
    const res = await call('POST', '/v1/auth/login', { body: { email: 'spray-x@example.com', password: 'Summer2026!!' }, ip });
    expectError(res, 429, 'rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    tick(SIGN_IN_POLICY.ipLockout * 1000);
    expectError(await call('POST', '/v1/auth/login', { body: { email: 'spray-x@example.com', password: 'Summer2026!!' }, ip }), 401, 'invalid_credentials');
  });

  it('expires access tokens (401 invalid_token) and sessions (401 session_expired); refresh rotates', async () => {
    const u = await member(tenantA, 'viewer');
    const tokens = await signIn(u);
    tick(SESSION_POLICY.accessTokenTtl * 1000);
    expectError(await call('GET', '/v1/me', { token: tokens.accessToken }), 401, 'invalid_token');
    const refreshed = SessionTokensSchema.parse((await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } })).json());
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    expect((await call('GET', '/v1/me', { token: refreshed.accessToken })).statusCode).toBe(200);
    // Idle: no use for the idle limit.
    tick(SESSION_POLICY.defaultIdleTimeout * 1000);
    expectError(await call('GET', '/v1/me', { token: refreshed.accessToken }), 401, 'session_expired');
    expectError(await call('POST', '/v1/auth/refresh', { body: { refreshToken: refreshed.refreshToken } }), 401, 'session_expired');
  });

  it('ends a session at its absolute limit even when it is used every day', async () => {
    const u = await member(tenantA, 'viewer');
    let tokens = await signIn(u);
    for (let day = 0; day < SESSION_POLICY.defaultAbsoluteTimeout / 86_400 - 1; day += 1) {
      tick(86_400_000);
      tokens = SessionTokensSchema.parse((await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } })).json());
    }
    tick(86_400_000);
    expectError(await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } }), 401, 'session_expired');
  });

  it('revokes the whole session when a used refresh token comes back (401 session_revoked)', async () => {
    const u = await member(tenantA, 'viewer');
    const tokens = await signIn(u);
    const next = SessionTokensSchema.parse((await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } })).json());
    expectError(await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } }), 401, 'session_revoked');
    expectError(await call('GET', '/v1/me', { token: next.accessToken }), 401, 'session_revoked');
    expectError(await call('POST', '/v1/auth/refresh', { body: { refreshToken: next.refreshToken } }), 401, 'session_revoked');
    expectError(await call('POST', '/v1/auth/refresh', { body: { refreshToken: 'atst_rt_nope' } }), 401, 'invalid_token');
    const events = await t.db.platform(listAuditEvents);
    expect(events.some((e) => e.action === 'session.refresh_reuse' && e.target === `session:${tokens.session.id}`)).toBe(true);
  });

  it('signs out: the session is revoked', async () => {
    const u = await member(tenantA, 'viewer');
    const tokens = await signIn(u);
    expect((await call('POST', '/v1/auth/logout', { token: tokens.accessToken })).json()).toEqual({ signedOut: true });
    expectError(await call('GET', '/v1/me', { token: tokens.accessToken }), 401, 'session_revoked');
    expectError(await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } }), 401, 'session_revoked');
  });

  it('requires step-up for role changes (403 step_up_required), grants it for a fresh code, for five minutes', async () => {
    const owner = await member(tenantA, 'owner');
    const target = await member(tenantA, 'viewer');
    const tokens = await signIn(owner);
    const url = `/v1/tenants/${tenantA}/members/${target.userId}`;
    expectError(await call('PATCH', url, { token: tokens.accessToken, body: { role: 'editor' } }), 403, 'step_up_required');
    tick(30_000);
    const good = await code(owner);
    expectError(await call('POST', '/v1/auth/step-up', { token: tokens.accessToken, body: { code: good === '000000' ? '111111' : '000000' } }), 403, 'invalid_mfa_code');
    const stepped = await call('POST', '/v1/auth/step-up', { token: tokens.accessToken, body: { code: good } });
    expect(stepped.json()).toEqual({ stepUpUntil: new Date(clock.getTime() + SESSION_POLICY.stepUpWindow * 1000).toISOString() });
    expectError(await call('POST', '/v1/auth/step-up', { token: tokens.accessToken, body: { code: good } }), 403, 'mfa_code_replayed');
    const changed = await call('PATCH', url, { token: tokens.accessToken, body: { role: 'editor' } });
    expect([changed.statusCode, (changed.json() as { role: string }).role]).toEqual([200, 'editor']);
    const events = await t.db.tenant(tenantA, listAuditEvents);
    expect(events.find((e) => e.action === 'member.role_changed' && e.target === `user:${target.userId}`)?.details).toEqual({ from: 'viewer', to: 'editor' });
    tick(SESSION_POLICY.stepUpWindow * 1000);
    expectError(await call('PATCH', url, { token: tokens.accessToken, body: { role: 'viewer' } }), 403, 'step_up_required');
  });

  it('refuses to demote the last owner (409 last_owner), lets an admin not touch ownership, and API tokens not step up', async () => {
    const tenant = await createTestTenant(t.db);
    const owner = await member(tenant, 'owner');
    const admin = await member(tenant, 'admin');
    const ownerTokens = await signIn(owner);
    tick(30_000);
    await call('POST', '/v1/auth/step-up', { token: ownerTokens.accessToken, body: { code: await code(owner) } });
    expectError(await call('PATCH', `/v1/tenants/${tenant}/members/${owner.userId}`, { token: ownerTokens.accessToken, body: { role: 'admin' } }), 409, 'last_owner');
    const adminTokens = await signIn(admin);
    tick(30_000);
    await call('POST', '/v1/auth/step-up', { token: adminTokens.accessToken, body: { code: await code(admin) } });
    expectError(await call('PATCH', `/v1/tenants/${tenant}/members/${admin.userId}`, { token: adminTokens.accessToken, body: { role: 'owner' } }), 403, 'forbidden');
    const op = await call('PATCH', `/v1/tenants/${tenant}/members/${admin.userId}`, { token: operatorToken, body: { role: 'viewer' } });
    expectError(op, 403, 'forbidden');
    expect(ApiErrorBodySchema.parse(op.json()).error.message).toMatch(/API token/);
    // API tokens still read (as platform_admin).
    expect((await call('GET', `/v1/tenants/${tenant}/members`, { token: operatorToken })).statusCode).toBe(200);
    expectError(await call('POST', '/v1/auth/step-up', { token: operatorToken, body: { code: '123456' } }), 403, 'forbidden');
  });

  it('denies access across tenants (403 forbidden) and lists only the caller’s tenants', async () => {
    const a = await member(tenantA, 'admin');
    const tokens = await signIn(a);
    expectError(await call('GET', `/v1/tenants/${tenantB}`, { token: tokens.accessToken }), 403, 'forbidden');
    expectError(await call('GET', `/v1/tenants/${tenantB}/members`, { token: tokens.accessToken }), 403, 'forbidden');
    const b = await member(tenantB, 'viewer');
    expectError(await call('PATCH', `/v1/tenants/${tenantB}/members/${b.userId}`, { token: tokens.accessToken, body: { role: 'admin' } }), 403, 'forbidden');
    // Asking for B's member through A's path finds nothing: RLS scopes the query to A.
    const officer = await createTestUser(t.db, keys, hasher, { platformRoles: ['platform_admin'] });
    const officerTokens = await signIn(officer);
    await t.db.platform((tx) => tx.query('UPDATE sessions SET step_up_until = $2 WHERE id = $1', [officerTokens.session.id, new Date(clock.getTime() + MIN).toISOString()]));
    expectError(await call('PATCH', `/v1/tenants/${tenantA}/members/${b.userId}`, { token: officerTokens.accessToken, body: { role: 'admin' } }), 404, 'not_found');
    const listed = (await call('GET', '/v1/tenants', { token: tokens.accessToken })).json() as { items: { id: string }[] };
    expect(listed.items.map((x) => x.id)).toEqual([tenantA]);
    const members = MemberListSchema.parse((await call('GET', `/v1/tenants/${tenantA}/members`, { token: tokens.accessToken })).json());
    expect(members.items.some((m) => m.userId === b.userId)).toBe(false);
    expect(members.items.some((m) => m.userId === a.userId)).toBe(true);
  });

  it('enforces every endpoint’s permission: 401 without credentials, 403 for a caller without the action', async () => {
    const roleless = await createTestUser(t.db, keys, hasher, { mfa: false });
    const tokens = await sessionFor(t.db, roleless.userId, clock);
    const fill = (path: string) => path.replace(/:tenantId/g, tenantA).replace(/:userId/g, roleless.userId).replace(/:[a-zA-Z]+/g, tenantA);
    let checked = 0;
    for (const [name, e] of Object.entries(endpoints)) {
      if (e.permission === 'public' || e.permission === 'optional') continue;
      const url = fill(e.path);
      const anonymous = await app.inject({ method: e.method, url, remoteAddress: '192.0.2.9' });
      expect([name, anonymous.statusCode, ApiErrorBodySchema.parse(anonymous.json()).error.code]).toEqual([name, 401, 'auth_required']);
      const forged = await app.inject({ method: e.method, url, headers: { authorization: 'Bearer atst_at_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
      expect([name, forged.statusCode]).toEqual([name, 401]);
      if (e.permission !== 'authenticated') {
        const denied = await app.inject({ method: e.method, url, headers: { authorization: `Bearer ${tokens.accessToken}` } });
        expect([name, denied.statusCode, ApiErrorBodySchema.parse(denied.json()).error.code]).toEqual([name, 403, 'forbidden']);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });
});
