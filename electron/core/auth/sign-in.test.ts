import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ipcChannels, type AuthState, type IpcChannel, type IpcEvent } from '../../../shared/ipc/contract';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from '../client/self-signed.fixture';
import { createConsoleCore, type ConsoleCore } from '../console-core';
import { createMemoryVault } from '../vault/memory-vault';
import type { Vault } from '../vault/vault';
import { DEMO, startFakeIdentityService, TENANT, type FakeIdentityService } from './identity-service.fixture';

/** Anything that looks like one of the service's tokens. */
const TOKEN_SHAPED = /atst_(at|rt)_[A-Za-z0-9_-]+/;
const MEMBER_ID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';

describe('console sign-in (core, against a stand-in identity service)', () => {
  let certificate: SelfSignedCertificate;
  let service: FakeIdentityService;
  const cores: ConsoleCore[] = [];

  beforeAll(async () => {
    certificate = await makeSelfSignedCertificate();
  });
  beforeEach(async () => {
    service = await startFakeIdentityService(certificate);
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
    await service.close();
  });
  afterAll(() => undefined);

  const start = (vault: Vault = createMemoryVault()) => {
    const events: { event: IpcEvent; payload: unknown }[] = [];
    const outputs: unknown[] = [];
    const core = createConsoleCore({ serviceUrl: service.url, fingerprint: certificate.fingerprint, vault, mode: 'browser', probeIntervalMs: 0 });
    core.subscribe((event, payload) => events.push({ event, payload }));
    cores.push(core);
    const call = async (channel: IpcChannel, input: unknown = {}) => {
      const result = await core.dispatch(channel, input);
      outputs.push(result);
      return result;
    };
    const authEvents = () => events.filter((e) => e.event === 'auth.changed').map((e) => e.payload as AuthState);
    return { core, vault, events, outputs, call, authEvents };
  };

  const signIn = async (c: ReturnType<typeof start>) => {
    await expect(c.call('auth.login', { email: DEMO.email, password: DEMO.password })).resolves.toMatchObject({ ok: true, value: { step: 'mfa', email: DEMO.email } });
    return c.call('auth.verify', { code: DEMO.code });
  };

  it('signs in with password and code, keeps the refresh token in the keychain and sends the access token as Bearer', async () => {
    const c = start();
    await expect(c.call('auth.state')).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    const verified = await signIn(c);
    expect(verified).toMatchObject({ ok: true, value: { step: 'signed_in', me: { user: { email: DEMO.email }, platformRoles: ['security_officer'] } } });
    expect(await c.vault.get('refresh-token')).toMatch(/^atst_rt_/);
    await expect(c.call('tenants.list')).resolves.toEqual({ ok: true, value: [TENANT] });
    const tenantsCall = service.requests.find((r) => r.path === '/v1/tenants');
    expect(tenantsCall?.authorization).toMatch(/^Bearer atst_at_/);
    expect(service.requests.filter((r) => r.path.startsWith('/v1/auth/') || r.path === '/v1/health').every((r) => r.authorization === undefined || r.path === '/v1/auth/logout')).toBe(true);
    expect(c.authEvents().map((s) => s.step)).toEqual(['mfa', 'signed_in']);
  });

  it('keeps the challenge on a wrong code and starts over when the service refuses the challenge', async () => {
    const c = start();
    await c.call('auth.login', { email: DEMO.email, password: DEMO.password });
    await expect(c.call('auth.verify', { code: '000000' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_mfa_code' } });
    await expect(c.call('auth.state')).resolves.toMatchObject({ ok: true, value: { step: 'mfa' } });
    await expect(c.call('auth.verify', { recoveryCode: 'zzzzz-zzzzz' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_recovery_code' } });
    await expect(c.call('auth.cancel')).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    await expect(c.call('auth.verify', { code: DEMO.code })).resolves.toMatchObject({ ok: false, error: { code: 'challenge_invalid' } });
    await expect(c.call('auth.login', { email: DEMO.email, password: 'wrong password!' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
  });

  it('puts the lockout wait from Retry-After into the message', async () => {
    const c = start();
    service.lockFor = 840;
    const result = await c.call('auth.login', { email: DEMO.email, password: DEMO.password });
    expect(result).toEqual({ ok: false, error: { code: 'account_locked', message: 'Too many failed sign-ins: this account is locked for now. Try again in 14 minutes.' } });
  });

  it('enrols: secret and otpauth URI, then a code signs in and returns the recovery codes once', async () => {
    const c = start();
    service.enrolNext = true;
    await expect(c.call('auth.login', { email: DEMO.email, password: DEMO.password })).resolves.toMatchObject({ ok: true, value: { step: 'enrol' } });
    await expect(c.call('auth.verify', { code: DEMO.code })).resolves.toMatchObject({ ok: false, error: { code: 'challenge_invalid' } });
    const enrol = await c.call('auth.enrolStart');
    expect(enrol).toMatchObject({ ok: true, value: { otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\//), secret: 'JBSWY3DPEHPK3PXP' } });
    const done = await c.call('auth.enrolComplete', { code: DEMO.code });
    expect(done).toMatchObject({ ok: true, value: { state: { step: 'signed_in' }, recoveryCodes: expect.arrayContaining(['abcde-00000']) } });
  });

  it('resumes from the keychain in a new core without the password', async () => {
    const first = start();
    await signIn(first);
    await first.core.close();
    const second = start(first.vault);
    await expect(second.call('auth.state')).resolves.toMatchObject({ ok: true, value: { step: 'signed_in', me: { user: { email: DEMO.email } } } });
    expect(service.requests.filter((r) => r.path === '/v1/auth/login')).toHaveLength(1);
    expect(service.refreshCalls).toBe(1);
  });

  it('refreshes an expired access token once for concurrent calls, rotates the refresh token and retries', async () => {
    const c = start();
    await signIn(c);
    const before = await c.vault.get('refresh-token');
    service.expireAccessTokens();
    service.refreshDelayMs = 100;
    const results = await Promise.all([c.call('tenants.list'), c.call('tenants.get', { id: TENANT.id }), c.call('members.list', { tenantId: TENANT.id })]);
    for (const result of results) expect(result).toMatchObject({ ok: true });
    expect(service.refreshCalls).toBe(1);
    const after = await c.vault.get('refresh-token');
    expect(after).toMatch(/^atst_rt_/);
    expect(after).not.toBe(before);
  });

  it('returns to sign-in with the reason when an administrator revokes the session', async () => {
    const c = start();
    await signIn(c);
    service.revokeAll();
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_revoked' } });
    expect(await c.vault.get('refresh-token')).toBeNull();
    const last = c.authEvents().at(-1);
    expect(last).toMatchObject({ step: 'signed_out', code: 'session_revoked', reason: expect.stringMatching(/revoked by an administrator/) });
    expect(service.refreshCalls, 'a revoked session is not refreshed').toBe(0);
  });

  it('returns to sign-in with the reason when the session expired (found on refresh)', async () => {
    const c = start();
    await signIn(c);
    service.expireAccessTokens();
    service.expireSessions();
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_expired' } });
    expect(await c.vault.get('refresh-token')).toBeNull();
    await expect(c.call('auth.state')).resolves.toMatchObject({
      ok: true,
      value: { step: 'signed_out', code: 'session_expired', reason: expect.stringMatching(/expired after 14 days without use/) },
    });
  });

  it('signs out on refresh-token reuse (a copy of the keychain entry was used elsewhere)', async () => {
    const vault = createMemoryVault();
    const c = start(vault);
    await signIn(c);
    const stolen = (await vault.get('refresh-token')) ?? '';
    service.expireAccessTokens();
    await c.call('tenants.list');
    // The thief presents the old token: the service revokes the whole session.
    await vault.set('refresh-token', stolen);
    service.expireAccessTokens();
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_revoked' } });
    await expect(c.call('auth.state')).resolves.toMatchObject({ ok: true, value: { step: 'signed_out', code: 'session_revoked' } });
  });

  it('needs a step-up for a role change, and passes step_up_required through until then', async () => {
    const c = start();
    await signIn(c);
    const change = { tenantId: TENANT.id, userId: MEMBER_ID, role: 'reviewer' };
    await expect(c.call('members.changeRole', change)).resolves.toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await expect(c.call('auth.stepUp', { code: '000000' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_mfa_code' } });
    const stepped = await c.call('auth.stepUp', { code: DEMO.code });
    expect(stepped).toMatchObject({ ok: true, value: { stepUpUntil: expect.any(String) } });
    await expect(c.call('members.changeRole', change)).resolves.toMatchObject({ ok: true, value: { userId: MEMBER_ID, role: 'reviewer' } });
    expect(c.authEvents().at(-1)).toMatchObject({ step: 'signed_in', me: { session: { stepUpUntil: expect.any(String) } } });
  });

  it('signs out: tells the service, deletes the keychain entry, forgets the access token', async () => {
    const c = start();
    await signIn(c);
    await expect(c.call('auth.logout')).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    expect(service.requests.some((r) => r.path === '/v1/auth/logout')).toBe(true);
    expect(await c.vault.get('refresh-token')).toBeNull();
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });

  it('never lets a token-shaped string out through any channel or event', async () => {
    const c = start();
    service.enrolNext = true;
    await c.call('auth.login', { email: DEMO.email, password: DEMO.password });
    await c.call('auth.enrolStart');
    await c.call('auth.enrolComplete', { code: DEMO.code });
    // Every channel of the contract, with plausible input, while signed in.
    const inputs: Record<IpcChannel, unknown> = {
      'app.info': {},
      'connection.status': {},
      'connection.retry': {},
      'auth.state': {},
      'auth.login': { email: DEMO.email, password: DEMO.password },
      'auth.verify': { code: DEMO.code },
      'auth.enrolStart': {},
      'auth.enrolComplete': { code: DEMO.code },
      'auth.cancel': {},
      'auth.stepUp': { code: DEMO.code },
      'tenants.list': {},
      'tenants.get': { id: TENANT.id },
      'members.list': { tenantId: TENANT.id },
      'members.changeRole': { tenantId: TENANT.id, userId: MEMBER_ID, role: 'viewer' },
      'auth.logout': {},
    };
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(ipcChannels).sort());
    service.expireAccessTokens();
    for (const [channel, input] of Object.entries(inputs)) await c.call(channel as IpcChannel, input);
    await signIn(c);
    service.revokeAll();
    await c.call('tenants.list');
    expect(service.issued.length).toBeGreaterThan(3);
    const everything = JSON.stringify([c.outputs, c.events]);
    expect(everything).not.toMatch(TOKEN_SHAPED);
    for (const token of service.issued) expect(everything).not.toContain(token);
  });
});
