import { describe, expect, it } from 'vitest';
import { ApiTokenCreatedSchema, ApiTokenListSchema, ApiTokenSummarySchema } from '../../shared/api-tokens/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { sha256Hex } from '../sessions/session-tokens';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser, type TestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

const DAY = 86_400_000;

describe.each(TEST_ENGINES)('API tokens on %s', (kind) => {
  let clock = new Date('2026-05-04T09:00:05Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));

  const svc = inProcessService(kind, { now: () => clock });
  const { call, keys } = svc;

  const expectError = (res: { statusCode: number; body: string }, status: number, code: string) => expect(errorOf(res)).toEqual({ status, code });
  const member = (tenantId: TenantId, role: TenantRole) => createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId, role }], mfa: true });
  const plain = async (u: TestUser) => (await svc.session(u)).accessToken;
  const steppedUp = async (u: TestUser) => (await svc.steppedUp(u, 60_000)).accessToken;
  const inDays = (n: number) => new Date(clock.getTime() + n * DAY).toISOString();
  const create = async (tenant: TenantId, token: string, body: object = { name: 'ci', scopes: ['members.read'], expiresAt: inDays(30) }) => {
    const res = await call('POST', `/v1/tenants/${tenant}/api-tokens`, { token, body });
    expect(res.statusCode, res.body).toBe(201);
    return ApiTokenCreatedSchema.parse(res.json());
  };
  const listTokens = async (tenant: TenantId, token: string) => {
    const res = await call('GET', `/v1/tenants/${tenant}/api-tokens`, { token });
    expect(res.statusCode, res.body).toBe(200);
    return ApiTokenListSchema.parse(res.json()).items;
  };
  const members = (tenant: TenantId, token: string) => call('GET', `/v1/tenants/${tenant}/members`, { token });
  const events = (tenant: TenantId) => svc.t.db.tenant(tenant, listAuditEvents);

  it('creates a token shown once and stored only as its SHA-256; it works for its scope and 403 outside it', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const session = await steppedUp(admin);
    const created = await create(tenant, session, { name: 'export job', scopes: ['members.read', 'members.read'], expiresAt: inDays(30) });
    expect(created.secret).toMatch(/^atst_ak_[A-Za-z0-9_-]{43}$/);
    expect(created.token).toMatchObject({ name: 'export job', userId: admin.userId, scopes: ['members.read'], status: 'active', stale: false, ageDays: 0, lastUsedAt: null });

    const stored = await svc.t.db.tenant(tenant, (tx) => tx.query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE tenant_id = $1', [tenant]));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_sha256).toBe(sha256Hex(created.secret));
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice(8));
    // Never shown again.
    expect(JSON.stringify(await listTokens(tenant, session))).not.toContain(created.secret.slice(8));

    expect((await members(tenant, created.secret)).statusCode).toBe(200);
    expectError(await call('GET', `/v1/tenants/${tenant}/sessions`, { token: created.secret }), 403, 'forbidden');
    expectError(await call('GET', `/v1/tenants/${tenant}/api-tokens`, { token: created.secret }), 403, 'forbidden');
    expectError(await call('GET', '/v1/me', { token: created.secret }), 403, 'forbidden');
    // A token cannot mint tokens, nor pass step-up.
    expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens`, { token: created.secret, body: { name: 'x', scopes: ['members.read'], expiresAt: inDays(1) } }), 403, 'forbidden');

    const audit = await events(tenant);
    expect(audit.filter((e) => e.action === 'api_token.created').map((e) => e.target)).toEqual([`api_token:${created.token.id}`]);
  });

  it('invites with a members.invite token but is capped by the member role: an editor token gets 403', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const secret = (await create(tenant, await steppedUp(admin), { name: 'scim', scopes: ['members.invite', 'members.read'], expiresAt: inDays(10) })).secret;
    expect((await call('POST', `/v1/tenants/${tenant}/invites`, { token: secret, body: { email: `bot-${tenant}@example.com`, role: 'viewer' } })).statusCode).toBe(201);
    // Demote the member: the token's power follows their role on the very next request.
    const owner = await member(tenant, 'owner');
    expect((await call('PATCH', `/v1/tenants/${tenant}/members/${admin.userId}`, { token: await steppedUp(owner), body: { role: 'editor' } })).statusCode).toBe(200);
    expectError(await call('POST', `/v1/tenants/${tenant}/invites`, { token: secret, body: { email: `bot2-${tenant}@example.com`, role: 'viewer' } }), 403, 'forbidden');
    expectError(await members(tenant, secret), 403, 'forbidden');
  });

  it('refuses bad creation: no step-up 403 step_up_required, editor 403, unknown or destructive scope 400, expiry past or beyond 365 days 400', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const editor = await member(tenant, 'editor');
    const body = { name: 'n', scopes: ['members.read'], expiresAt: inDays(30) };
    expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens`, { token: await plain(admin), body }), 403, 'step_up_required');
    expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens`, { token: await steppedUp(editor), body }), 403, 'forbidden');
    const session = await steppedUp(admin);
    for (const bad of [
      { ...body, scopes: ['members.deactivate'] },
      { ...body, scopes: ['api_tokens.manage'] },
      { ...body, scopes: [] },
      { ...body, expiresAt: inDays(-1) },
      { ...body, expiresAt: inDays(366) },
      { name: 'n', scopes: ['members.read'] },
    ]) {
      expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens`, { token: session, body: bad }), 400, 'validation_failed');
    }
    expect(await listTokens(tenant, session)).toEqual([]);
    expect((await create(tenant, session, { ...body, expiresAt: inDays(365) })).token.status).toBe('active');
  });

  it('rejects a token at the very next request after revoke (401), and a second revoke is 409 conflict; unknown is 404', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const session = await steppedUp(admin);
    const { token, secret } = await create(tenant, session);
    expect((await members(tenant, secret)).statusCode).toBe(200);
    // Revoking needs no step-up.
    const res = await call('POST', `/v1/tenants/${tenant}/api-tokens/${token.id}/revoke`, { token: await plain(admin) });
    expect(res.statusCode).toBe(200);
    expect(ApiTokenSummarySchema.parse(res.json()).status).toBe('revoked');
    expectError(await members(tenant, secret), 401, 'invalid_token');
    expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens/${token.id}/revoke`, { token: session }), 409, 'conflict');
    expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens/00000000-0000-4000-8000-000000000000/revoke`, { token: session }), 404, 'not_found');
    expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens/${token.id}/rotate`, { token: session, body: { expiresAt: inDays(5) } }), 409, 'conflict');
    expect((await events(tenant)).filter((e) => e.action === 'api_token.revoked')).toHaveLength(1);
  });

  it('rotates: a new secret works, the old one is 401 at once; only the member who owns the token may rotate it', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const other = await member(tenant, 'owner');
    const session = await steppedUp(admin);
    const old = await create(tenant, session, { name: 'rot', scopes: ['members.read', 'audit.read'], expiresAt: inDays(30) });
    expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens/${old.token.id}/rotate`, { token: await steppedUp(other), body: { expiresAt: inDays(5) } }), 403, 'forbidden');
    expectError(await call('POST', `/v1/tenants/${tenant}/api-tokens/${old.token.id}/rotate`, { token: await plain(admin), body: { expiresAt: inDays(5) } }), 403, 'step_up_required');
    const res = await call('POST', `/v1/tenants/${tenant}/api-tokens/${old.token.id}/rotate`, { token: session, body: { expiresAt: inDays(60) } });
    expect(res.statusCode).toBe(201);
    const rotated = ApiTokenCreatedSchema.parse(res.json());
    expect(rotated.secret).not.toBe(old.secret);
    expect(rotated.token).toMatchObject({ name: 'rot', scopes: ['members.read', 'audit.read'], expiresAt: inDays(60) });
    expectError(await members(tenant, old.secret), 401, 'invalid_token');
    expect((await members(tenant, rotated.secret)).statusCode).toBe(200);
    const byId = new Map((await listTokens(tenant, session)).map((x) => [x.id, x.status]));
    expect([byId.get(old.token.id), byId.get(rotated.token.id)]).toEqual(['revoked', 'active']);
    expect((await events(tenant)).filter((e) => e.action === 'api_token.rotated').map((e) => e.details)).toEqual([
      expect.objectContaining({ replacedBy: rotated.token.id }),
    ]);
  });

  it('rejects an expired token (401), lists age, last use (written at most once a minute) and flags tokens older than 90 days', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const shortLived = await create(tenant, await steppedUp(admin), { name: 'short', scopes: ['members.read'], expiresAt: inDays(1) });
    const long = await create(tenant, await steppedUp(admin), { name: 'long', scopes: ['members.read'], expiresAt: inDays(200) });
    const usedAt = clock.toISOString();
    expect((await members(tenant, long.secret)).statusCode).toBe(200);
    tick(30_000);
    expect((await members(tenant, long.secret)).statusCode).toBe(200);
    const lastUse = async () => (await listTokens(tenant, await plain(admin))).find((x) => x.id === long.token.id)?.lastUsedAt;
    expect(await lastUse()).toBe(usedAt);
    tick(31_000);
    expect((await members(tenant, long.secret)).statusCode).toBe(200);
    expect(await lastUse()).toBe(clock.toISOString());

    tick(DAY);
    expectError(await members(tenant, shortLived.secret), 401, 'invalid_token');
    tick(90 * DAY);
    const listed = new Map((await listTokens(tenant, await plain(admin))).map((x) => [x.name, x]));
    expect(listed.get('long')).toMatchObject({ ageDays: 91, stale: true, status: 'active' });
    expect(listed.get('short')).toMatchObject({ status: 'expired', stale: true });
    expect((await members(tenant, long.secret)).statusCode).toBe(200);
  });

  it('ends a member’s tokens when they are deactivated (401 at once), and they stay revoked after reactivation', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const owner = await member(tenant, 'owner');
    const { token, secret } = await create(tenant, await steppedUp(admin));
    expect((await members(tenant, secret)).statusCode).toBe(200);
    const ownerSession = await steppedUp(owner);
    expect((await call('POST', `/v1/tenants/${tenant}/members/${admin.userId}/deactivate`, { token: ownerSession })).statusCode).toBe(200);
    expectError(await members(tenant, secret), 401, 'invalid_token');
    expect((await listTokens(tenant, ownerSession)).find((x) => x.id === token.id)?.status).toBe('revoked');
    const deactivated = (await events(tenant)).find((e) => e.action === 'member.deactivated');
    expect(deactivated?.details).toMatchObject({ apiTokensRevoked: 1 });
    expect((await call('POST', `/v1/tenants/${tenant}/members/${admin.userId}/reactivate`, { token: ownerSession })).statusCode).toBe(200);
    expectError(await members(tenant, secret), 401, 'invalid_token');
  });

  it('keeps a token to its tenant: another tenant is 403, and another tenant’s admin cannot see or revoke it (404)', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const both = await createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId: a, role: 'admin' }, { tenantId: b, role: 'admin' }], mfa: true });
    const adminB = await member(b, 'admin');
    const { token, secret } = await create(a, await steppedUp(both));
    expectError(await members(b, secret), 403, 'forbidden');
    expectError(await call('GET', '/v1/tenants', { token: secret }), 403, 'forbidden');
    const sessionB = await steppedUp(adminB);
    expect(await listTokens(b, sessionB)).toEqual([]);
    expectError(await call('POST', `/v1/tenants/${b}/api-tokens/${token.id}/revoke`, { token: sessionB }), 404, 'not_found');
    expectError(await call('POST', `/v1/tenants/${a}/api-tokens/${token.id}/revoke`, { token: sessionB }), 403, 'forbidden');
    expect((await members(a, secret)).statusCode).toBe(200);
    // Garbage with the prefix is 401.
    expectError(await members(a, `atst_ak_${'A'.repeat(43)}`), 401, 'invalid_token');
  });
});
