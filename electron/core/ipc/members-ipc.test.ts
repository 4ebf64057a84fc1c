import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_POLICY } from '../../../shared/policy/identity';
import type { IpcChannel } from '../../../shared/ipc/contract';
import type { TenantId } from '../../../shared/tenants/tenant';
import { ephemeralKeyRing } from '../../../service/crypto/key-ring';
import { buildServer } from '../../../service/http/server';
import { argon2Hasher, ARGON2_TEST_PARAMS } from '../../../service/identity/passwords';
import { currentCode } from '../../../service/identity/totp';
import { openTestDatabase, removeTempDirs, tempDir, type TestDatabase } from '../../../service/testing/databases';
import { createTestTenant, createTestUser, sessionFor, type TestUser } from '../../../service/testing/identity-fixtures';
import { ensureCertificate } from '../../../service/tls/certificate';
import { createConsoleCore, type ConsoleCore } from '../console-core';
import { createMemoryVault } from '../vault/memory-vault';

describe('members channels (core, against the real service)', () => {
  let clock = new Date();
  let database: TestDatabase;
  let app: FastifyInstance;
  let core: ConsoleCore;
  let tenant: TenantId;
  let owner: TestUser;
  let editor: TestUser;
  let mkUser: (mfa: boolean) => Promise<TestUser>;
  const requests: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const keys = ephemeralKeyRing();
    const hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    const tls = await ensureCertificate(tempDir('attest-members-ipc-'), { now: () => clock });
    app = await buildServer({ db: database.db, keys, hasher, tls: { key: tls.key, cert: tls.cert }, logger: false, now: () => clock });
    app.addHook('onRequest', async (request) => void requests.push(`${request.method} ${request.url}`));
    await app.listen({ port: 0, host: '127.0.0.1' });
    tenant = await createTestTenant(database.db);
    owner = await createTestUser(database.db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    editor = await createTestUser(database.db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'editor' }] });
    mkUser = (mfa) => createTestUser(database.db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'viewer' }], mfa });
    core = createConsoleCore({
      serviceUrl: `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      fingerprint: tls.fingerprint,
      vault: createMemoryVault(),
      mode: 'browser',
      probeIntervalMs: 0,
      dataDir: tempDir('attest-console-'),
    });
    await core.dispatch('auth.login', { email: owner.email, password: owner.password });
    expect(await core.dispatch('auth.verify', { code: await code() })).toMatchObject({ ok: true, value: { step: 'signed_in' } });
  });
  afterAll(async () => {
    await core.close();
    await app.close();
    await database.dispose();
    removeTempDirs();
  });

  const code = () => {
    clock = new Date(clock.getTime() + TOTP_POLICY.period * 1000);
    return currentCode(owner.secret ?? new Uint8Array(), clock);
  };
  const call = (channel: IpcChannel, input: unknown) => core.dispatch(channel, input);

  it('lists members with filters and the MFA counts', async () => {
    const noMfa = await mkUser(false);
    const all = await call('members.list', { tenantId: tenant });
    expect(all).toMatchObject({ ok: true, value: { hasMore: false } });
    const counts = (all as { value: { counts: { enrolled: number; notEnrolled: number } } }).value.counts;
    expect(counts.notEnrolled).toBeGreaterThanOrEqual(1);
    const filtered = await call('members.list', { tenantId: tenant, query: { mfa: 'not_enrolled', status: 'active' } });
    expect((filtered as { value: { items: { userId: string }[] } }).value.items.map((m) => m.userId)).toContain(noMfa.userId);
    expect((filtered as { value: { items: { mfaEnrolled: boolean }[] } }).value.items.every((m) => !m.mfaEnrolled)).toBe(true);
    requests.length = 0;
    expect(await call('members.list', { tenantId: tenant, query: { sort: 'shoe' } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(requests).toEqual([]);
  });

  it('invites: the token comes back once, and the invitee can accept it', async () => {
    const invited = await call('members.invite', { tenantId: tenant, email: `ipc-${tenant}@example.com`, role: 'viewer' });
    expect(invited).toMatchObject({ ok: true, value: { member: { status: 'invited', role: 'viewer' }, token: expect.stringMatching(/^atst_inv_/) } });
    expect(await call('members.invite', { tenantId: tenant, email: `ipc-${tenant}@example.com`, role: 'viewer' })).toMatchObject({ ok: true });
    expect(await call('members.invite', { tenantId: tenant, email: editor.email, role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'already_member' } });
    expect(await call('members.invite', { tenantId: tenant, email: 'nope', role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('deactivates only after step-up; the member’s session ends; reactivates; resets MFA', async () => {
    const target = await mkUser(true);
    const targetSession = await sessionFor(database.db, target.userId, clock);
    const input = { tenantId: tenant, userId: target.userId };
    expect(await call('members.deactivate', input)).toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    expect(await call('auth.stepUp', { code: await code() })).toMatchObject({ ok: true });
    expect(await call('members.deactivate', input)).toMatchObject({ ok: true, value: { userId: target.userId, status: 'deactivated' } });
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${targetSession.accessToken}` } });
    expect([me.statusCode, (me.json() as { error: { code: string } }).error.code]).toEqual([401, 'session_revoked']);
    expect(await call('members.reactivate', input)).toMatchObject({ ok: true, value: { status: 'active' } });
    expect(await call('members.resetMfa', input)).toMatchObject({ ok: true, value: { mfaEnrolled: false } });
    expect(await call('members.deactivate', { tenantId: tenant, userId: owner.userId })).toMatchObject({ ok: false, error: { code: 'last_owner' } });
  });

  it('reads and sets the MFA policy; off needs a remediation plan', async () => {
    expect(await call('members.mfaPolicy', { tenantId: tenant })).toEqual({ ok: true, value: { mfaRequired: true, remediationPlan: null } });
    expect(await call('auth.stepUp', { code: await code() })).toMatchObject({ ok: true });
    expect(await call('members.setMfaPolicy', { tenantId: tenant, policy: { mfaRequired: false } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const plan = { ownerUserId: owner.userId, targetDate: '2026-12-31', compensatingControls: 'Office network only' };
    expect(await call('members.setMfaPolicy', { tenantId: tenant, policy: { mfaRequired: false, remediationPlan: plan } })).toEqual({
      ok: true,
      value: { mfaRequired: false, remediationPlan: plan },
    });
    expect(await call('members.mfaPolicy', { tenantId: tenant })).toEqual({ ok: true, value: { mfaRequired: false, remediationPlan: plan } });
  });

  it('API tokens: create (step-up) returns the secret once, which works at the service; list flags nothing stale; rotate and revoke end old secrets', async () => {
    clock = new Date(clock.getTime() + 6 * 60_000); // past the previous test's step-up window
    const expiresAt = () => new Date(clock.getTime() + 30 * 86_400_000).toISOString();
    const input = { tenantId: tenant, name: 'ipc job', scopes: ['members.read'], expiresAt: expiresAt() };
    requests.length = 0;
    expect(await call('apiTokens.create', { ...input, scopes: ['members.deactivate'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(requests).toEqual([]);
    expect(await call('apiTokens.create', input)).toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    expect(await call('auth.stepUp', { code: await code() })).toMatchObject({ ok: true });
    const created = (await call('apiTokens.create', { ...input, expiresAt: expiresAt() })) as { ok: true; value: { secret: string; token: { id: string } } };
    expect(created).toMatchObject({ ok: true, value: { secret: expect.stringMatching(/^atst_ak_/), token: { name: 'ipc job', status: 'active' } } });
    const use = (secret: string) => app.inject({ method: 'GET', url: `/v1/tenants/${tenant}/members`, headers: { authorization: `Bearer ${secret}` } });
    expect((await use(created.value.secret)).statusCode).toBe(200);
    const listed = await call('apiTokens.list', { tenantId: tenant });
    expect(listed).toMatchObject({ ok: true, value: [{ id: created.value.token.id, stale: false, scopes: ['members.read'] }] });
    expect(JSON.stringify(listed)).not.toContain(created.value.secret);

    const rotated = (await call('apiTokens.rotate', { tenantId: tenant, tokenId: created.value.token.id, expiresAt: expiresAt() })) as { ok: true; value: { secret: string; token: { id: string } } };
    expect(rotated).toMatchObject({ ok: true, value: { secret: expect.stringMatching(/^atst_ak_/) } });
    expect((await use(created.value.secret)).statusCode).toBe(401);
    expect(await call('apiTokens.revoke', { tenantId: tenant, tokenId: rotated.value.token.id })).toMatchObject({ ok: true, value: { status: 'revoked' } });
    expect((await use(rotated.value.secret)).statusCode).toBe(401);
    expect(await call('apiTokens.revoke', { tenantId: tenant, tokenId: rotated.value.token.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});
