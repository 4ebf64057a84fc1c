import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcOutput } from '../../../shared/ipc/contract';
import { TOTP_POLICY } from '../../../shared/policy/identity';
import type { TenantId } from '../../../shared/tenants/tenant';
import { ephemeralKeyRing } from '../../../service/crypto/key-ring';
import { buildServer } from '../../../service/http/server';
import { argon2Hasher, ARGON2_TEST_PARAMS } from '../../../service/identity/passwords';
import { currentCode } from '../../../service/identity/totp';
import { openTestDatabase, removeTempDirs, tempDir, type TestDatabase } from '../../../service/testing/databases';
import { createTestTenant, createTestUser, type TestUser } from '../../../service/testing/identity-fixtures';
import { ensureCertificate } from '../../../service/tls/certificate';
import { createConsoleCore, type ConsoleCore } from '../console-core';
import { createMemoryVault } from '../vault/memory-vault';

/** The Tenants view's channels: a platform admin and a tenant owner, each on a console of their own. */
describe('tenant channels (core, against the real service)', () => {
  let clock = new Date();
  let database: TestDatabase;
  let app: FastifyInstance;
  let tenant: TenantId;
  let admin: TestUser;
  let owner: TestUser;
  let officer: TestUser;
  let createEditor: () => Promise<TestUser>;
  let url: string;
  let fingerprint: string;
  const cores: ConsoleCore[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const keys = ephemeralKeyRing();
    const hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    const tls = await ensureCertificate(tempDir('attest-tenants-ipc-'), { now: () => clock });
    app = await buildServer({ db: database.db, keys, hasher, tls: { key: tls.key, cert: tls.cert }, logger: false, now: () => clock });
    app.addHook('onRequest', async (request) => void requests.push(`${request.method} ${request.url}`));
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    fingerprint = tls.fingerprint;
    tenant = await createTestTenant(database.db);
    admin = await createTestUser(database.db, keys, hasher, { platformRoles: ['platform_admin'] });
    officer = await createTestUser(database.db, keys, hasher, { platformRoles: ['security_officer'] });
    owner = await createTestUser(database.db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    createEditor = () => createTestUser(database.db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'editor' }] });
  }, 60_000);
  afterAll(async () => {
    for (const core of cores) await core.close();
    await app.close();
    await database.dispose();
    removeTempDirs();
  });

  const code = (user: TestUser) => {
    clock = new Date(clock.getTime() + TOTP_POLICY.period * 1000);
    return currentCode(user.secret ?? new Uint8Array(), clock);
  };
  /** A console signed in as `user`; `call` dispatches a channel on it. */
  const consoleOf = async (user: TestUser) => {
    const core = createConsoleCore({ serviceUrl: url, fingerprint, vault: createMemoryVault(), mode: 'browser', probeIntervalMs: 0, dataDir: tempDir('attest-console-') });
    cores.push(core);
    await core.dispatch('auth.login', { email: user.email, password: user.password });
    expect(await core.dispatch('auth.verify', { code: await code(user) })).toMatchObject({ ok: true, value: { step: 'signed_in' } });
    return {
      call: (channel: IpcChannel, input: unknown) => core.dispatch(channel, input),
      stepUp: async () => expect(await core.dispatch('auth.stepUp', { code: await code(user) })).toMatchObject({ ok: true }),
    };
  };
  const value = <C extends IpcChannel>(result: unknown): IpcOutput<C> => {
    const r = result as { ok: boolean; value: IpcOutput<C>; error?: unknown };
    if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
    return r.value;
  };
  const body = (slug: string) => ({ name: 'Globex Health', slug, region: 'us', plan: 'enterprise', ownerEmail: `owner-${slug}@globex.example` });

  it('a platform admin creates a tenant after step-up; the owner’s invitation comes back once; a taken slug is slug_taken', async () => {
    const staff = await consoleOf(admin);
    const slug = `globex-${Date.now()}`;
    expect(await staff.call('tenants.create', body(slug))).toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await staff.stepUp();
    const created = value<'tenants.create'>(await staff.call('tenants.create', body(slug)));
    expect(created.tenant).toMatchObject({ name: 'Globex Health', slug, region: 'us', plan: 'enterprise', status: 'active' });
    expect(created.invite).toMatchObject({ member: { email: `owner-${slug}@globex.example`, role: 'owner', status: 'invited' }, token: expect.stringMatching(/^atst_inv_/) });
    expect(value<'tenants.list'>(await staff.call('tenants.list', {})).map((t) => t.id)).toContain(created.tenant.id);
    expect(await staff.call('tenants.create', { ...body(slug), ownerEmail: 'someone-else@globex.example' })).toMatchObject({ ok: false, error: { code: 'slug_taken' } });
  });

  it('refuses a bad slug, region or email in the core, before anything is sent', async () => {
    const staff = await consoleOf(admin);
    requests.length = 0;
    for (const bad of [{ slug: 'Not A Slug' }, { region: 'mars' }, { plan: 'gold' }, { ownerEmail: 'not-an-email' }]) {
      expect(await staff.call('tenants.create', { ...body('fine-slug'), ...bad })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(requests).toEqual([]);
  });

  it('a tenant owner or a security officer cannot create tenants', async () => {
    for (const user of [owner, officer]) {
      const c = await consoleOf(user);
      await c.stepUp();
      expect(await c.call('tenants.create', body(`nope-${Date.now()}`))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('an owner reads the settings with their bounds, changes the name and limits after step-up; out of bounds is refused with the bounds', async () => {
    const own = await consoleOf(owner);
    const settings = value<'tenants.settings'>(await own.call('tenants.settings', { tenantId: tenant }));
    expect(settings).toMatchObject({ status: 'active', mfaRequired: true, bounds: { idle: { min: expect.any(Number) }, absolute: { max: expect.any(Number) } } });
    const change = { tenantId: tenant, name: 'Harbour Clinic', idleTimeoutSeconds: 8 * 3600, absoluteTimeoutSeconds: 7 * 86_400 };
    expect(await own.call('tenants.updateSettings', change)).toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await own.stepUp();
    expect(value<'tenants.updateSettings'>(await own.call('tenants.updateSettings', change))).toMatchObject({
      name: 'Harbour Clinic',
      idleTimeoutSeconds: 8 * 3600,
      absoluteTimeoutSeconds: 7 * 86_400,
    });
    expect(value<'tenants.get'>(await own.call('tenants.get', { id: tenant }))).toMatchObject({ name: 'Harbour Clinic' });
    const tooShort = await own.call('tenants.updateSettings', { tenantId: tenant, idleTimeoutSeconds: settings.bounds.idle.min - 1 });
    expect(tooShort).toMatchObject({ ok: false, error: { code: 'session_limit_out_of_bounds' } });
    // The plan is platform staff's.
    expect(await own.call('tenants.setPlan', { tenantId: tenant, plan: 'enterprise' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a platform admin changes the plan after step-up; a security officer reads but cannot', async () => {
    const staff = await consoleOf(admin);
    await staff.stepUp();
    expect(value<'tenants.setPlan'>(await staff.call('tenants.setPlan', { tenantId: tenant, plan: 'free' }))).toMatchObject({ plan: 'free' });
    const so = await consoleOf(officer);
    expect(value<'tenants.settings'>(await so.call('tenants.settings', { tenantId: tenant }))).toMatchObject({ plan: 'free' });
    await so.stepUp();
    expect(await so.call('tenants.setPlan', { tenantId: tenant, plan: 'team' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('counts for the Tenant page: members by status, MFA coverage, live sessions, the audit head; not for an editor', async () => {
    const own = await consoleOf(owner);
    const summary = value<'tenants.summary'>(await own.call('tenants.summary', { tenantId: tenant }));
    expect(summary).toMatchObject({ tenantId: tenant, members: { active: 1 }, mfa: { enrolled: 1, notEnrolled: 0 }, openIncidents: 0 });
    expect(summary.liveSessions).toBeGreaterThanOrEqual(1);
    expect(summary.audit.treeSize).toBeGreaterThan(0);
    const editor = await createEditor();
    const ed = await consoleOf(editor);
    expect(await ed.call('tenants.summary', { tenantId: tenant })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ed.call('tenants.settings', { tenantId: tenant })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('suspending asks a second person: the officer requests, the admin approves, members get tenant_suspended; reinstating takes the same path', async () => {
    const own = await consoleOf(owner);
    await own.stepUp();
    expect(await own.call('tenants.suspend', { tenantId: tenant, reason: 'unpaid' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const so = await consoleOf(officer);
    expect(await so.call('tenants.suspend', { tenantId: tenant, reason: 'Chargeback fraud under review' })).toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await so.stepUp();
    const request = value<'tenants.suspend'>(await so.call('tenants.suspend', { tenantId: tenant, reason: 'Chargeback fraud under review' }));
    expect(request).toMatchObject({ tenantId: tenant, status: 'pending', subject: { action: 'tenant.suspend' } });
    // Nothing changed yet; the requester cannot decide their own request.
    expect(value<'tenants.get'>(await own.call('tenants.get', { id: tenant }))).toMatchObject({ status: 'active' });
    expect(await so.call('approvals.approve', { tenantId: tenant, approvalId: request.id, comment: '' })).toMatchObject({ ok: false, error: { code: 'approval_self' } });
    const staff = await consoleOf(admin);
    await staff.stepUp();
    expect(await staff.call('approvals.approve', { tenantId: tenant, approvalId: request.id, comment: 'confirmed with billing' })).toMatchObject({
      ok: true,
      value: { status: 'approved' },
    });
    expect(await own.call('tenants.settings', { tenantId: tenant })).toMatchObject({ ok: false, error: { code: 'tenant_suspended' } });
    expect(value<'tenants.get'>(await staff.call('tenants.get', { id: tenant }))).toMatchObject({ status: 'suspended' });
    const reinstate = value<'tenants.reinstate'>(await staff.call('tenants.reinstate', { tenantId: tenant, reason: 'Cleared by billing' }));
    expect(reinstate).toMatchObject({ status: 'pending', subject: { action: 'tenant.reinstate' } });
    await so.stepUp();
    expect(await so.call('approvals.approve', { tenantId: tenant, approvalId: reinstate.id, comment: '' })).toMatchObject({ ok: true, value: { status: 'approved' } });
    expect(value<'tenants.settings'>(await own.call('tenants.settings', { tenantId: tenant }))).toMatchObject({ status: 'active' });
  });
});
