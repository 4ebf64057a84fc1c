import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_POLICY, SIGN_IN_POLICY, TOTP_POLICY } from '../../../shared/policy/identity';
import { ipcChannels, type AuthState, type IpcChannel, type IpcEvent } from '../../../shared/ipc/contract';
import { revokeSession } from '../../../service/sessions/session-repository';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, TOKEN_SHAPED, type RealService } from '../../../service/testing/real-service';
import { createConsoleCore, type ConsoleCore } from '../console-core';
import { createMemoryVault } from '../vault/memory-vault';
import type { Vault } from '../vault/vault';
import { tempDir } from '../../../service/testing/databases';

const MINUTE = 60_000;

describe('console sign-in (core, against the real service)', () => {
  let service: RealService;
  const cores: ConsoleCore[] = [];

  beforeAll(async () => {
    service = await startRealService();
  });
  beforeEach(() => {
    service.requests.length = 0;
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });
  afterAll(() => service.close());

  const start = (vault: Vault = createMemoryVault()) => {
    const events: { event: IpcEvent; payload: unknown }[] = [];
    const outputs: unknown[] = [];
    const core = createConsoleCore({
      serviceUrl: service.url,
      fingerprint: service.fingerprint,
      vault,
      mode: 'browser',
      probeIntervalMs: 0,
      dataDir: tempDir('attest-console-'),
    });
    core.subscribe((event, payload) => events.push({ event, payload }));
    cores.push(core);
    const call = async (channel: IpcChannel, input: unknown = {}) => {
      const result = await core.dispatch(channel, input);
      outputs.push(result);
      return result;
    };
    const authEvents = () => events.filter((e) => e.event === 'auth.changed').map((e) => e.payload as AuthState);
    const sessionId = (): string => {
      const last = authEvents().filter((s) => s.step === 'signed_in').at(-1);
      if (last?.step !== 'signed_in') throw new Error('never signed in');
      return last.me.session.id;
    };
    return { core, vault, events, outputs, call, authEvents, sessionId };
  };

  /** A tenant owner who is also the platform's security officer, with MFA enrolled. */
  const officer = async () => {
    const tenantId = await service.tenant();
    const user = await service.user({ platformRoles: ['security_officer'], memberships: [{ tenantId, role: 'owner' }] });
    return { user, tenantId };
  };

  const signIn = async (c: ReturnType<typeof start>, user: TestUser) => {
    await expect(c.call('auth.login', { email: user.email, password: user.password })).resolves.toMatchObject({ ok: true, value: { step: 'mfa', email: user.email } });
    return c.call('auth.verify', { code: await service.code(user.secret) });
  };

  const refreshes = () => service.requests.filter((r) => r.path === '/v1/auth/refresh').length;

  /** Moves the service past the access token's lifetime: the next call gets 401 and the core refreshes. */
  const expireAccessTokens = () => service.advance(SESSION_POLICY.accessTokenTtl * 1000 + MINUTE);

  const revoke = (sessionId: string) => service.db.platform((tx) => revokeSession(tx, sessionId, 'revoked', service.now()));

  it('signs in with password and code, keeps the refresh token in the keychain and sends the access token as Bearer', async () => {
    const { user, tenantId } = await officer();
    const c = start();
    await expect(c.call('auth.state')).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    const verified = await signIn(c, user);
    expect(verified).toMatchObject({ ok: true, value: { step: 'signed_in', me: { user: { email: user.email }, platformRoles: ['security_officer'] } } });
    expect(await c.vault.get('refresh-token')).toMatch(/^atst_rt_/);
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: tenantId })]) });
    const tenantsCall = service.requests.find((r) => r.path === '/v1/tenants');
    expect(tenantsCall?.authorization).toMatch(/^Bearer atst_at_/);
    expect(service.requests.filter((r) => r.path.startsWith('/v1/auth/') || r.path === '/v1/health').every((r) => r.authorization === undefined || r.path === '/v1/auth/logout')).toBe(true);
    expect(c.authEvents().map((s) => s.step)).toEqual(['mfa', 'signed_in']);
  });

  it('keeps the challenge on a wrong code and starts over when the service refuses the challenge', async () => {
    const { user } = await officer();
    const c = start();
    await c.call('auth.login', { email: user.email, password: user.password });
    await expect(c.call('auth.verify', { code: '000000' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_mfa_code' } });
    await expect(c.call('auth.state')).resolves.toMatchObject({ ok: true, value: { step: 'mfa' } });
    await expect(c.call('auth.verify', { recoveryCode: 'zzzzz-zzzzz' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_recovery_code' } });
    // The challenge runs out on the service (the console's own clock still thinks it is live): the service refuses it.
    service.advance(SIGN_IN_POLICY.challengeTtl * 1000 + MINUTE);
    await expect(c.call('auth.verify', { code: await service.code(user.secret) })).resolves.toMatchObject({ ok: false, error: { code: 'challenge_invalid' } });
    await expect(c.call('auth.state')).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    // Cancelled: nothing left to verify.
    await c.call('auth.login', { email: user.email, password: user.password });
    await expect(c.call('auth.cancel')).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    await expect(c.call('auth.verify', { code: await service.code(user.secret) })).resolves.toMatchObject({ ok: false, error: { code: 'challenge_invalid' } });
    await expect(c.call('auth.login', { email: user.email, password: 'wrong password!' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
  });

  it('signs in with a recovery code instead of an authenticator code', async () => {
    const { user } = await officer();
    const c = start();
    await c.call('auth.login', { email: user.email, password: user.password });
    await expect(c.call('auth.verify', { recoveryCode: user.recoveryCodes[0] })).resolves.toMatchObject({ ok: true, value: { step: 'signed_in', me: { user: { email: user.email } } } });
  });

  it('puts the lockout wait from Retry-After into the message', async () => {
    const user = await service.user({ memberships: [{ tenantId: await service.tenant(), role: 'viewer' }] });
    const c = start();
    for (let i = 0; i < SIGN_IN_POLICY.accountMaxFailures; i += 1) {
      await expect(c.call('auth.login', { email: user.email, password: `wrong password ${i}` })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    }
    service.advance(SIGN_IN_POLICY.accountLockout * 1000 - 20_000);
    const result = await c.call('auth.login', { email: user.email, password: user.password });
    expect(result).toEqual({ ok: false, error: { code: 'account_locked', message: 'Too many failed sign-ins to this account from this computer. Try again in 20 seconds.' } });
  });

  it('enrols: secret and otpauth URI, then a code signs in and returns the recovery codes once', async () => {
    const user = await service.user({ mfa: false, memberships: [{ tenantId: await service.tenant(), role: 'viewer' }] });
    const c = start();
    await expect(c.call('auth.login', { email: user.email, password: user.password })).resolves.toMatchObject({ ok: true, value: { step: 'enrol' } });
    await expect(c.call('auth.verify', { code: '123456' })).resolves.toMatchObject({ ok: false, error: { code: 'challenge_invalid' } });
    const enrol = await c.call('auth.enrolStart');
    expect(enrol).toMatchObject({ ok: true, value: { otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\//), secret: expect.stringMatching(/^[A-Z2-7]+$/) } });
    const secret = (enrol as { value: { secret: string } }).value.secret;
    expect((enrol as { value: { otpauthUri: string } }).value.otpauthUri).toContain(`secret=${secret}`);
    const done = await c.call('auth.enrolComplete', { code: await service.code(secret) });
    expect(done).toMatchObject({ ok: true, value: { state: { step: 'signed_in' }, recoveryCodes: expect.any(Array) } });
    const { recoveryCodes } = (done as { value: { recoveryCodes: string[] } }).value;
    expect(recoveryCodes).toHaveLength(TOTP_POLICY.recoveryCodeCount);
    // The enrolled secret is the one that signs in from now on.
    await c.call('auth.logout');
    await c.call('auth.login', { email: user.email, password: user.password });
    await expect(c.call('auth.verify', { code: await service.code(secret) })).resolves.toMatchObject({ ok: true, value: { step: 'signed_in' } });
  });

  it('resumes from the keychain in a new core without the password', async () => {
    const { user } = await officer();
    const first = start();
    await signIn(first, user);
    await first.core.close();
    const second = start(first.vault);
    await expect(second.call('auth.state')).resolves.toMatchObject({ ok: true, value: { step: 'signed_in', me: { user: { email: user.email } } } });
    expect(service.requests.filter((r) => r.path === '/v1/auth/login')).toHaveLength(1);
    expect(refreshes()).toBe(1);
  });

  it('refreshes an expired access token once for concurrent calls, rotates the refresh token and retries', async () => {
    const { user, tenantId } = await officer();
    const c = start();
    await signIn(c, user);
    const before = await c.vault.get('refresh-token');
    expireAccessTokens();
    const results = await Promise.all([c.call('tenants.list'), c.call('tenants.get', { id: tenantId }), c.call('members.list', { tenantId })]);
    for (const result of results) expect(result).toMatchObject({ ok: true });
    expect(refreshes()).toBe(1);
    const after = await c.vault.get('refresh-token');
    expect(after).toMatch(/^atst_rt_/);
    expect(after).not.toBe(before);
  });

  it('returns to sign-in with the reason when an administrator revokes the session', async () => {
    const { user } = await officer();
    const c = start();
    await signIn(c, user);
    await revoke(c.sessionId());
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_revoked' } });
    expect(await c.vault.get('refresh-token')).toBeNull();
    const last = c.authEvents().at(-1);
    expect(last).toMatchObject({ step: 'signed_out', code: 'session_revoked', reason: expect.stringMatching(/revoked by an administrator/) });
    expect(refreshes(), 'a revoked session is not refreshed').toBe(0);
  });

  it('returns to sign-in with the reason when the session expired (found on a call, and on refresh)', async () => {
    const idle = SESSION_POLICY.defaultIdleTimeout * 1000 + MINUTE;
    const expectExpired = async (c: ReturnType<typeof start>) => {
      await expect(c.call('auth.state')).resolves.toMatchObject({
        ok: true,
        value: { step: 'signed_out', code: 'session_expired', reason: expect.stringMatching(/expired after 14 days without use/) },
      });
      expect(await c.vault.get('refresh-token')).toBeNull();
    };
    // Found on a call: the access token's session is over.
    const { user } = await officer();
    const c = start();
    await signIn(c, user);
    service.advance(idle);
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_expired' } });
    await expectExpired(c);
    // Found on refresh: a restarted console has only the refresh token.
    const first = start();
    await signIn(first, user);
    await first.core.close();
    service.advance(idle);
    service.requests.length = 0;
    const second = start(first.vault);
    await expectExpired(second);
    expect(refreshes()).toBe(1);
  });

  it('signs out on refresh-token reuse (a copy of the keychain entry was used elsewhere)', async () => {
    const { user } = await officer();
    const vault = createMemoryVault();
    const c = start(vault);
    await signIn(c, user);
    const stolen = (await vault.get('refresh-token')) ?? '';
    expireAccessTokens();
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: true });
    expect(await vault.get('refresh-token')).not.toBe(stolen);
    // The thief presents the old token: the service revokes the whole session.
    await vault.set('refresh-token', stolen);
    expireAccessTokens();
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_revoked' } });
    await expect(c.call('auth.state')).resolves.toMatchObject({ ok: true, value: { step: 'signed_out', code: 'session_revoked' } });
    expect(await vault.get('refresh-token')).toBeNull();
  });

  it('needs a step-up for a role change, and passes step_up_required through until then', async () => {
    const { user, tenantId } = await officer();
    const member = await service.user({ memberships: [{ tenantId, role: 'editor' }] });
    const c = start();
    await signIn(c, user);
    const change = { tenantId, userId: member.userId, role: 'reviewer' };
    await expect(c.call('members.changeRole', change)).resolves.toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await expect(c.call('auth.stepUp', { code: '000000' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_mfa_code' } });
    const stepped = await c.call('auth.stepUp', { code: await service.code(user.secret) });
    expect(stepped).toMatchObject({ ok: true, value: { stepUpUntil: expect.any(String) } });
    await expect(c.call('members.changeRole', change)).resolves.toMatchObject({ ok: true, value: { userId: member.userId, role: 'reviewer' } });
    expect(c.authEvents().at(-1)).toMatchObject({ step: 'signed_in', me: { session: { stepUpUntil: expect.any(String) } } });
  });

  it('signs out: tells the service, deletes the keychain entry, forgets the access token', async () => {
    const { user } = await officer();
    const c = start();
    await signIn(c, user);
    const sessionId = c.sessionId();
    await expect(c.call('auth.logout')).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    expect(service.requests.some((r) => r.path === '/v1/auth/logout')).toBe(true);
    expect(await c.vault.get('refresh-token')).toBeNull();
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    const rows = await service.db.platform((tx) => tx.query<{ revoked_reason: string | null }>('SELECT revoked_reason FROM sessions WHERE id = $1', [sessionId]));
    expect(rows).toEqual([{ revoked_reason: 'logout' }]);
  });

  it('never lets a token-shaped string out through any channel or event', async () => {
    const tenantId = await service.tenant();
    const user = await service.user({ mfa: false, memberships: [{ tenantId, role: 'owner' }] });
    const member = await service.user({ memberships: [{ tenantId, role: 'editor' }] });
    const c = start();
    await c.call('auth.login', { email: user.email, password: user.password });
    const enrol = await c.call('auth.enrolStart');
    const secret = (enrol as { value: { secret: string } }).value.secret;
    await c.call('auth.enrolComplete', { code: await service.code(secret) });
    expireAccessTokens();
    const code = await service.code(secret);
    // Every channel of the contract, with plausible input, while signed in.
    const inputs: Record<IpcChannel, unknown> = {
      'app.info': {},
      // The console host's (the core answers unknown_channel).
      'service.current': {},
      'service.check': { text: 'attest://connect?v=1' },
      'service.openFile': {},
      'service.connect': { choice: { text: 'attest://connect?v=1' } },
      'connection.status': {},
      'connection.retry': {},
      'auth.state': {},
      'auth.login': { email: user.email, password: user.password },
      'auth.verify': { code },
      'auth.enrolStart': {},
      'auth.enrolComplete': { code },
      'auth.cancel': {},
      'auth.stepUp': { code },
      'auth.acceptInvite': { token: `atst_inv_${'A'.repeat(43)}`, email: user.email, password: user.password },
      'invites.accept': { token: `atst_inv_${'A'.repeat(43)}` },
      'tenants.list': {},
      'tenants.get': { id: tenantId },
      'tenants.settings': { tenantId },
      'tenants.updateSettings': { tenantId, idleTimeoutSeconds: 3600 },
      'tenants.setPlan': { tenantId, plan: 'team' },
      'tenants.summary': { tenantId },
      'tenants.suspend': { tenantId, reason: 'drill' },
      'tenants.reinstate': { tenantId, reason: 'drill' },
      'tenants.create': { name: 'Token Check', slug: `token-check-${Date.now()}`, region: 'eu', plan: 'team', ownerEmail: 'token-check@example.com' },
      'members.list': { tenantId, query: { status: 'active' } },
      'members.invite': { tenantId, email: 'someone-new@example.com', role: 'viewer' },
      'members.deactivate': { tenantId, userId: member.userId },
      'members.reactivate': { tenantId, userId: member.userId },
      'members.resetMfa': { tenantId, userId: member.userId },
      'members.mfaPolicy': { tenantId },
      'members.setMfaPolicy': { tenantId, policy: { mfaRequired: true } },
      'members.changeRole': { tenantId, userId: member.userId, role: 'viewer' },
      'audit.events': { tenantId },
      'audit.status': { tenantId, refresh: true },
      'audit.verifyEvent': { tenantId, seq: 1 },
      'audit.verifyLog': { tenantId },
      'audit.dismissAlert': { alertId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', note: 'checked with the platform team' },
      'audit.export': { tenantId, format: 'ndjson' },
      'sessions.list': { tenantId },
      'sessions.revoke': { tenantId, sessionId: c.sessionId() },
      'sessions.revokeUser': { tenantId, userId: member.userId },
      'sessions.reviewFlags': { tenantId, sessionId: c.sessionId(), outcome: 'expected' },
      'sessions.revokeAllButMine': { tenantId, reason: 'drill' },
      'approvals.list': {},
      'approvals.approve': { tenantId, approvalId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', comment: '' },
      'approvals.deny': { tenantId, approvalId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', comment: '' },
      'approvals.withdraw': { tenantId, approvalId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' },
      'approvals.requestMemberRemoval': { tenantId, userIds: [member.userId], reason: 'drill' },
      'approvals.requestPlatformRole': { userId: member.userId, role: 'auditor', reason: 'drill' },
      'apiTokens.list': { tenantId },
      'apiTokens.create': { tenantId, name: 'drill', scopes: ['members.read'], expiresAt: '2099-01-01T00:00:00.000Z' },
      'apiTokens.rotate': { tenantId, tokenId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', expiresAt: '2099-01-01T00:00:00.000Z' },
      'apiTokens.revoke': { tenantId, tokenId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' },
      'people.search': { q: member.email.slice(0, 6) },
      'people.get': { userId: member.userId },
      'people.cutOffPlan': { userId: member.userId },
      'people.cutOff': { userId: member.userId, reason: 'drill' },
      'accessReviews.list': { tenantId },
      'accessReviews.start': { tenantId, title: 'drill' },
      'accessReviews.get': { tenantId, reviewId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' },
      'accessReviews.decide': { tenantId, reviewId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', userId: member.userId, decision: 'keep' },
      'accessReviews.keepUndecided': { tenantId, reviewId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', comment: '' },
      'accessReviews.close': { tenantId, reviewId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' },
      'incidents.list': {},
      'incidents.get': { incidentId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' },
      'incidents.create': { title: 'x', severity: 'P2', personalData: false, affectedTenantIds: [tenantId], detectedAt: new Date().toISOString() },
      'incidents.edit': { incidentId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', change: { kind: 'note', text: 'n' } },
      'incidents.declare': { title: 'x', severity: 'P2', personalData: false, affectedTenantIds: [tenantId], detectedAt: new Date().toISOString() },
      'incidents.sync': {},
      'incidents.syncStatus': {},
      'incidents.resolveConflict': { seq: 1, choice: 'keep_theirs' },
      'incidents.resync': {},
      'incidents.export': { incidentId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', document: 'review' },
      'posture.get': { tenantId },
      'posture.snapshots': { tenantId },
      'posture.evaluate': { tenantId },
      'posture.exportEvidence': { tenantId },
      'posture.remediations': { tenantId },
      'posture.setRemediation': { tenantId, controlId: 'auth.mfa', plan: { ownerUserId: user.userId, targetDate: '2099-01-01', compensatingControls: 'x' } },
      'posture.removeRemediation': { tenantId, controlId: 'auth.mfa' },
      'trustPage.preview': { tenantId },
      'trustPage.publications': { tenantId },
      'trustPage.publish': { tenantId },
      'trustPage.verify': { source: 'text', name: 'page.html', text: '<!DOCTYPE html>' },
      'trustPage.exportBundle': { tenantId },
      'trustPage.export': { tenantId, page: 'published', format: 'markdown' },
      'tables.exportCsv': { table: 'tenants', columns: ['Name'], rows: [['Acme']] },
      'auth.logout': {},
    };
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(ipcChannels).sort());
    for (const [channel, input] of Object.entries(inputs)) await c.call(channel as IpcChannel, input);
    await c.call('auth.login', { email: user.email, password: user.password });
    await c.call('auth.verify', { code: await service.code(secret) });
    await revoke(c.sessionId());
    await c.call('tenants.list');
    expect(service.issued.size).toBeGreaterThan(3);
    const everything = JSON.stringify([c.outputs, c.events]);
    expect(everything).not.toMatch(TOKEN_SHAPED);
    for (const token of service.issued) expect(everything).not.toContain(token);
  });
});
