import { describe, expect, it } from 'vitest';
import { LoginResponseSchema, SessionTokensSchema, type SessionTokens } from '../../shared/identity/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import { SESSION_POLICY } from '../../shared/policy/identity';
import { SessionListSchema } from '../../shared/sessions/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { currentCode } from '../identity/totp';
import { setTenantPolicy } from '../identity/user-repository';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService, type CallOptions } from '../testing/in-process-service';

const MIN = 60_000;

describe.each(TEST_ENGINES)('sessions administration on %s', (kind) => {
  let clock = new Date('2026-03-02T09:00:05Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  let ipCounter = 0;
  const svc = inProcessService(kind, { now: () => clock });
  const { keys, session, steppedUp } = svc;

  const newIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;
  const call = (method: 'GET' | 'POST', url: string, opts: CallOptions = {}) =>
    svc.call(method, url, { ip: '192.0.2.1', userAgent: 'Attest-Console/1.0', ...opts });
  const member = (tenantId: TenantId, role: TenantRole) => createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId, role }] });
  const me = (s: SessionTokens) => call('GET', '/v1/me', { token: s.accessToken });
  const refresh = (s: SessionTokens) => call('POST', '/v1/auth/refresh', { body: { refreshToken: s.refreshToken } });
  const list = async (tenantId: TenantId, token: string, query = '') => {
    const res = await call('GET', `/v1/tenants/${tenantId}/sessions${query}`, { token });
    expect(res.statusCode).toBe(200);
    return SessionListSchema.parse(res.json()).items;
  };
  const auditCount = async (tenantId: TenantId) => (await svc.t.db.tenant(tenantId, (tx) => listAuditEvents(tx))).length;
  const revokedAt = async (sessionId: string) =>
    (await svc.t.engine.query<{ revoked_at: Date | string | null }>('SELECT revoked_at FROM sessions WHERE id = $1', [sessionId]))[0]?.revoked_at ?? null;

  it("lists the live sessions of the tenant's members only, marks the caller's, filters by user", async () => {
    const tenant = await createTestTenant(svc.t.db);
    const other = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const editor = await member(tenant, 'editor');
    const outsider = await member(other, 'owner');
    const mine = await session(admin);
    const e1 = await session(editor);
    const e2 = await session(editor);
    const gone = await session(editor);
    await svc.t.db.platform((tx) => tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE id = $1", [gone.session.id]));
    const foreign = await session(outsider);

    const items = await list(tenant, mine.accessToken);
    expect(items.map((i) => i.id).sort()).toEqual([mine.session.id, e1.session.id, e2.session.id].sort());
    expect(items.find((i) => i.id === foreign.session.id)).toBeUndefined();
    const own = items.find((i) => i.id === mine.session.id);
    expect(own).toMatchObject({ current: true, userId: admin.userId, email: admin.email, ip: '127.0.0.1', userAgent: 'test', flags: [] });
    expect(own?.absoluteExpiresAt).toBe(new Date(clock.getTime() + SESSION_POLICY.defaultAbsoluteTimeout * 1000).toISOString());
    expect(items.filter((i) => i.current)).toHaveLength(1);
    expect((await list(tenant, mine.accessToken, `?userId=${editor.userId}`)).map((i) => i.id).sort()).toEqual([e1.session.id, e2.session.id].sort());

    // Editors may not list sessions; a query outside the schema is refused.
    expect(errorOf(await call('GET', `/v1/tenants/${tenant}/sessions`, { token: e1.accessToken }))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('GET', `/v1/tenants/${tenant}/sessions?flagged=yes`, { token: mine.accessToken }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    // An admin of another tenant sees nothing of this one.
    const foreignAdmin = await steppedUp(outsider);
    expect(errorOf(await call('GET', `/v1/tenants/${tenant}/sessions`, { token: foreignAdmin.accessToken }))).toEqual({ status: 403, code: 'forbidden' });
  });

  it('revokes one session after step-up: the next access and refresh get 401 session_revoked; again 409, unknown 404, nothing changes', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const other = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const editor = await member(tenant, 'editor');
    const outsider = await member(other, 'editor');
    const target = await session(editor);
    const foreign = await session(outsider);
    const plain = await session(admin);
    const url = `/v1/tenants/${tenant}/sessions/${target.session.id}/revoke`;

    expect(errorOf(await call('POST', url, { token: plain.accessToken }))).toEqual({ status: 403, code: 'step_up_required' });
    // The editor's other session may end only its own current session, not this one.
    const editorElsewhere = await session(editor);
    expect(errorOf(await call('POST', url, { token: editorElsewhere.accessToken }))).toEqual({ status: 403, code: 'forbidden' });
    expect(await revokedAt(target.session.id)).toBeNull();

    const stepped = await steppedUp(admin);
    // A validated token may be remembered (PGlite's cache): the revocation must still win.
    expect((await me(target)).statusCode).toBe(200);
    const before = await auditCount(tenant);
    const res = await call('POST', url, { token: stepped.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: 1 });
    expect(errorOf(await me(target))).toEqual({ status: 401, code: 'session_revoked' });
    expect(errorOf(await refresh(target))).toEqual({ status: 401, code: 'session_revoked' });
    const events = (await svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx))).slice(before);
    expect(events.map((e) => [e.action, e.target, e.actor.id])).toEqual([['session.revoked', `session:${target.session.id}`, admin.userId]]);
    expect(events[0]?.details).toEqual({ userId: editor.userId });
    expect(events[0]?.personal?.data).toEqual({ ip: '127.0.0.1', userAgent: 'test' });

    const stamp = await revokedAt(target.session.id);
    tick(1000);
    expect(errorOf(await call('POST', url, { token: stepped.accessToken }))).toEqual({ status: 409, code: 'session_already_revoked' });
    expect(await revokedAt(target.session.id)).toEqual(stamp);
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/sessions/00000000-0000-4000-8000-000000000000/revoke`, { token: stepped.accessToken }))).toEqual({
      status: 404,
      code: 'not_found',
    });
    // Another tenant's member's session is as unknown as a made-up id, and stays live.
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/sessions/${foreign.session.id}/revoke`, { token: stepped.accessToken }))).toEqual({
      status: 404,
      code: 'not_found',
    });
    expect((await me(foreign)).statusCode).toBe(200);
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/sessions/not-a-uuid/revoke`, { token: stepped.accessToken }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(await auditCount(tenant)).toBe(before + 1);
  });

  it('lets any member end their own current session without step-up', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const viewer = await member(tenant, 'viewer');
    const s = await session(viewer);
    const other = await session(viewer);
    // Not their current one: that needs sessions.revoke, which a viewer lacks.
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/sessions/${other.session.id}/revoke`, { token: s.accessToken }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const res = await call('POST', `/v1/tenants/${tenant}/sessions/${s.session.id}/revoke`, { token: s.accessToken });
    expect(res.statusCode).toBe(200);
    expect(errorOf(await me(s))).toEqual({ status: 401, code: 'session_revoked' });
    expect((await me(other)).statusCode).toBe(200);
  });

  it("revokes all of one member's sessions, only that member's; a non-member is 404", async () => {
    const tenant = await createTestTenant(svc.t.db);
    const other = await createTestTenant(svc.t.db);
    const owner = await member(tenant, 'owner');
    const editor = await member(tenant, 'editor');
    const bystander = await member(tenant, 'viewer');
    const outsider = await member(other, 'viewer');
    const a = await session(editor);
    const b = await session(editor);
    const keep = await session(bystander);
    const stepped = await steppedUp(owner);
    const plain = await session(owner);
    const url = `/v1/tenants/${tenant}/members/${editor.userId}/sessions/revoke`;

    expect(errorOf(await call('POST', url, { token: plain.accessToken }))).toEqual({ status: 403, code: 'step_up_required' });
    const res = await call('POST', url, { token: stepped.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: 2 });
    for (const s of [a, b]) {
      // (a and b were never used before: the first request after revocation is refused either way.)
      expect(errorOf(await me(s))).toEqual({ status: 401, code: 'session_revoked' });
      expect(errorOf(await refresh(s))).toEqual({ status: 401, code: 'session_revoked' });
    }
    expect((await me(keep)).statusCode).toBe(200);
    expect((await call('POST', url, { token: stepped.accessToken })).json()).toEqual({ revoked: 0 });

    const before = await auditCount(tenant);
    expect(errorOf(await call('POST', `/v1/tenants/${tenant}/members/${outsider.userId}/sessions/revoke`, { token: stepped.accessToken }))).toEqual({
      status: 404,
      code: 'not_found',
    });
    expect(await auditCount(tenant)).toBe(before);
  });

  /** Approves a request as a second stepped-up owner of the tenant. */
  const approveAsSecondOwner = async (tenantId: TenantId, approvalId: string) => {
    const approver = await steppedUp(await member(tenantId, 'owner'));
    return { approver, res: await call('POST', `/v1/tenants/${tenantId}/approvals/${approvalId}/approve`, { token: approver.accessToken, body: { comment: 'agreed' } }) };
  };

  it("revokes every session of the tenant's members but the requester's once a second person approves, in one audit event; other tenants' sessions stay", async () => {
    const tenant = await createTestTenant(svc.t.db);
    const other = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const users = await Promise.all([member(tenant, 'editor'), member(tenant, 'viewer'), member(tenant, 'owner')]);
    const outsider = await member(other, 'editor');
    const victims = [...(await Promise.all(users.map(session))), await session(admin)];
    const foreign = await session(outsider);
    const stepped = await steppedUp(admin);
    for (const s of victims) expect((await me(s)).statusCode).toBe(200);
    const url = `/v1/tenants/${tenant}/sessions/revoke-all`;
    const body = { reason: 'laptop stolen' };
    expect(errorOf(await call('POST', url, { token: victims[0]?.accessToken ?? '', body }))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('POST', url, { token: stepped.accessToken }))).toEqual({ status: 400, code: 'validation_failed' });

    const before = await auditCount(tenant);
    const requested = await call('POST', url, { token: stepped.accessToken, body });
    expect(requested.statusCode).toBe(201);
    expect(requested.json()).toMatchObject({ status: 'pending', subject: { action: 'sessions.revoke_tenant', keepSessionId: stepped.session.id } });
    // Nothing is revoked on one person's say.
    for (const s of victims) expect((await me(s)).statusCode).toBe(200);

    const { approver, res } = await approveAsSecondOwner(tenant, requested.json<{ id: string }>().id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', result: { revoked: victims.length } });
    for (const s of victims) expect(errorOf(await me(s))).toEqual({ status: 401, code: 'session_revoked' });
    // The requester's and the approver's sessions stay.
    expect((await me(stepped)).statusCode).toBe(200);
    expect((await me(approver)).statusCode).toBe(200);
    expect((await me(foreign)).statusCode).toBe(200);
    const events = (await svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx))).slice(before).filter((e) => e.action.startsWith('session.'));
    expect(events.map((e) => [e.action, e.details.revoked, e.details.keptSessionId, e.details.approverSessionId])).toEqual([
      ['session.revoked_all_of_tenant', victims.length, stepped.session.id, approver.session.id],
    ]);
  });

  it("confines a tenant's scope to its members' sessions in the database itself (RLS), for reads and revocations", async () => {
    const tenant = await createTestTenant(svc.t.db);
    const other = await createTestTenant(svc.t.db);
    const inside = await session(await member(tenant, 'viewer'));
    const outside = await session(await member(other, 'viewer'));
    // No WHERE clause: only row-level security stands between the query and other tenants' sessions.
    const visible = await svc.t.db.tenant(tenant, (tx) => tx.query<{ id: string }>('SELECT id FROM sessions'));
    expect(visible.map((r) => r.id)).toEqual([inside.session.id]);
    const updated = await svc.t.db.tenant(tenant, (tx) => tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'revoked' RETURNING id"));
    expect(updated).toHaveLength(1);
    expect(await revokedAt(outside.session.id)).toBeNull();
    await expect(
      svc.t.db.tenant(tenant, (tx) =>
        tx.query('INSERT INTO sessions (id, user_id, created_at, last_seen_at, idle_timeout_seconds, absolute_expires_at) SELECT gen_random_uuid(), user_id, now(), now(), 60, now() FROM sessions'),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('never half-applies a tenant-wide revocation: when its audit event cannot be written, no session is revoked', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const victims = await Promise.all([member(tenant, 'editor'), member(tenant, 'viewer')].map(async (u) => session(await u)));
    const stepped = await steppedUp(admin);
    await svc.t.engine.query(`CREATE FUNCTION test_refuse_revoke_all() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'session.revoked_all_of_tenant' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$`);
    await svc.t.engine.query('CREATE TRIGGER test_refuse_revoke_all BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_refuse_revoke_all()');
    try {
      const requested = await call('POST', `/v1/tenants/${tenant}/sessions/revoke-all`, { token: stepped.accessToken, body: { reason: 'drill' } });
      expect(requested.statusCode).toBe(201);
      expect(errorOf((await approveAsSecondOwner(tenant, requested.json<{ id: string }>().id)).res)).toEqual({ status: 500, code: 'internal_error' });
    } finally {
      await svc.t.engine.query('DROP TRIGGER test_refuse_revoke_all ON audit_events');
      await svc.t.engine.query('DROP FUNCTION test_refuse_revoke_all()');
    }
    for (const s of victims) {
      expect(await revokedAt(s.session.id)).toBeNull();
      expect((await me(s)).statusCode).toBe(200);
    }
  });

  it("applies a change of the tenant's idle and absolute limits to existing sessions, for access and refresh", async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const idle = await session(admin);
    tick(20 * MIN);
    const recent = await session(admin);
    expect((await me(recent)).statusCode).toBe(200);
    // Tighten the idle limit to 15 minutes: the session unused for 20 minutes has ended.
    await svc.t.db.platform((tx) => setTenantPolicy(tx, tenant, { mfaRequired: true, idleTimeout: 15 * 60, absoluteTimeout: 30 * 24 * 3600 }));
    expect(errorOf(await me(idle))).toEqual({ status: 401, code: 'session_expired' });
    expect(errorOf(await refresh(idle))).toEqual({ status: 401, code: 'session_expired' });
    expect((await me(recent)).statusCode).toBe(200);
    const admin2 = await steppedUp(admin);
    const listed = (await list(tenant, admin2.accessToken)).find((i) => i.id === recent.session.id);
    expect(listed?.idleExpiresAt).toBe(new Date(clock.getTime() + 15 * MIN).toISOString());

    // An absolute limit of one hour ends the session an hour after it began, though it is in use.
    tick(10 * MIN);
    expect((await me(recent)).statusCode).toBe(200);
    await svc.t.db.platform((tx) =>
      tx.query('UPDATE tenant_security_policies SET absolute_timeout_seconds = 3600, idle_timeout_seconds = 3600 WHERE tenant_id = $1', [tenant]),
    );
    expect((await me(recent)).statusCode).toBe(200);
    tick(55 * MIN);
    expect(errorOf(await me(recent))).toEqual({ status: 401, code: 'session_expired' });
    expect(errorOf(await refresh(recent))).toEqual({ status: 401, code: 'session_expired' });
  });

  it('flags sign-ins from a new device, a new address, or after several failures; the list filters by it', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const user = await member(tenant, 'editor');
    const ip = newIp();
    const signIn = async (opts: { ip: string; userAgent: string }) => {
      const first = LoginResponseSchema.parse((await call('POST', '/v1/auth/login', { body: { email: user.email, password: user.password }, ...opts })).json());
      if (first.next !== 'mfa') throw new Error(`expected mfa, got ${first.next}`);
      tick(MIN); // each code once
      const res = await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: await currentCode(user.secret ?? new Uint8Array(), clock) }, ...opts });
      expect(res.statusCode).toBe(200);
      return SessionTokensSchema.parse(res.json()).session.id;
    };
    const first = await signIn({ ip, userAgent: 'Laptop' });
    const same = await signIn({ ip, userAgent: 'Laptop' });
    const newIpSession = await signIn({ ip: newIp(), userAgent: 'Laptop' });
    const newDevice = await signIn({ ip, userAgent: 'Phone' });
    for (let i = 0; i < 3; i += 1) {
      const res = await call('POST', '/v1/auth/login', { body: { email: user.email, password: 'wrong password!' }, ip });
      expect(errorOf(res)).toEqual({ status: 401, code: 'invalid_credentials' });
    }
    const afterFailures = await signIn({ ip, userAgent: 'Laptop' });

    const adminSession = await session(admin);
    const flagsOf = new Map((await list(tenant, adminSession.accessToken, `?userId=${user.userId}`)).map((i) => [i.id, i.flags]));
    expect(Object.fromEntries(flagsOf)).toEqual({
      [first]: [],
      [same]: [],
      [newIpSession]: ['new_ip'],
      [newDevice]: ['new_device'],
      [afterFailures]: ['after_failures'],
    });
    expect((await list(tenant, adminSession.accessToken, '?flagged=true')).map((i) => i.id).sort()).toEqual([newIpSession, newDevice, afterFailures].sort());
    expect((await list(tenant, adminSession.accessToken, `?flagged=false&userId=${user.userId}`)).map((i) => i.id).sort()).toEqual([first, same].sort());
  });
});
