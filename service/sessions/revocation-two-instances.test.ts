import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import type { SessionTokens } from '../../shared/identity/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { ephemeralKeyRing } from '../crypto/key-ring';
import { createDb, type Db } from '../db/db';
import type { SqlEngine } from '../db/engine';
import { migrate } from '../db/migrations';
import { openPostgresEngine } from '../db/postgres-engine';
import { buildServer } from '../http/server';
import { argon2Hasher, ARGON2_TEST_PARAMS, type PasswordHasher } from '../identity/passwords';
import { createPostgresDatabase, TEST_ENGINES, type TestPostgresDatabase } from '../testing/databases';
import { createTestTenant, createTestUser, grantStepUp, sessionFor } from '../testing/identity-fixtures';

/**
 * Two service instances on one PostgreSQL database: a revocation through one is
 * refused by the other on its very next request. PostgreSQL-only (PGlite is one
 * process's embedded database); CI sets TEST_DATABASE_URL, and without it under
 * CI this file fails instead of passing unnoticed.
 */
const onPostgres = TEST_ENGINES.includes('postgres');
if (!onPostgres && process.env.CI) throw new Error('the two-instance revocation test needs PostgreSQL: set TEST_DATABASE_URL');

describe.skipIf(!onPostgres)('revocation across two service instances on one PostgreSQL', () => {
  let database: TestPostgresDatabase;
  const engines: SqlEngine[] = [];
  const apps: FastifyInstance[] = [];
  let a: FastifyInstance;
  let b: FastifyInstance;
  let db: Db;
  let hasher: PasswordHasher;
  const keys = ephemeralKeyRing();

  beforeAll(async () => {
    database = await createPostgresDatabase();
    hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    for (let i = 0; i < 2; i += 1) {
      const engine = await openPostgresEngine(database.url);
      await migrate(engine);
      engines.push(engine);
      const app = await buildServer({ db: createDb(engine), tls: null, logger: false, keys, hasher });
      await app.ready();
      apps.push(app);
    }
    [a, b] = apps as [FastifyInstance, FastifyInstance];
    db = createDb(engines[0] as SqlEngine);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const engine of engines) await engine.close();
    await database?.drop();
  });

  const call = (app: FastifyInstance, method: 'GET' | 'POST', url: string, token?: string, body?: object) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const errorOf = (res: { statusCode: number; body: string }) => ({
    status: res.statusCode,
    code: ApiErrorBodySchema.safeParse(JSON.parse(res.body)).data?.error.code,
  });
  const setUp = async () => {
    const tenant: TenantId = await createTestTenant(db);
    const admin = await createTestUser(db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'admin' }] });
    const adminSession = await sessionFor(db, admin.userId, new Date());
    await grantStepUp(db, adminSession.session.id, new Date(Date.now() + 5 * 60_000));
    const user = await createTestUser(db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'editor' }] });
    return { tenant, admin: adminSession, user };
  };
  /** The session works on both instances (so anything an instance might remember about it is warm). */
  const warm = async (sessions: readonly SessionTokens[]) => {
    for (const s of sessions) for (const app of apps) expect((await call(app, 'GET', '/v1/me', s.accessToken)).statusCode).toBe(200);
  };
  const expectRevokedOnB = async (sessions: readonly SessionTokens[]) => {
    for (const s of sessions) {
      expect(errorOf(await call(b, 'GET', '/v1/me', s.accessToken))).toEqual({ status: 401, code: 'session_revoked' });
      expect(errorOf(await call(b, 'POST', '/v1/auth/refresh', undefined, { refreshToken: s.refreshToken }))).toEqual({
        status: 401,
        code: 'session_revoked',
      });
    }
  };

  it('one session revoked on A is refused on B at the next request (access and refresh)', async () => {
    const { tenant, admin, user } = await setUp();
    const s = await sessionFor(db, user.userId, new Date());
    await warm([s, admin]);
    const res = await call(a, 'POST', `/v1/tenants/${tenant}/sessions/${s.session.id}/revoke`, admin.accessToken);
    expect(res.statusCode).toBe(200);
    await expectRevokedOnB([s]);
    expect((await call(b, 'GET', '/v1/me', admin.accessToken)).statusCode).toBe(200);
  });

  it("all of a user's sessions revoked on A are refused on B", async () => {
    const { tenant, admin, user } = await setUp();
    const sessions = [await sessionFor(db, user.userId, new Date()), await sessionFor(db, user.userId, new Date())];
    await warm(sessions);
    const res = await call(a, 'POST', `/v1/tenants/${tenant}/members/${user.userId}/sessions/revoke`, admin.accessToken);
    expect(res.json()).toEqual({ revoked: 2 });
    await expectRevokedOnB(sessions);
  });

  it("a tenant-wide revocation on A is refused on B for every session but the caller's", async () => {
    const { tenant, admin, user } = await setUp();
    const other = await createTestUser(db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'viewer' }] });
    const sessions = [await sessionFor(db, user.userId, new Date()), await sessionFor(db, other.userId, new Date())];
    await warm(sessions);
    // Requested by one admin, approved by another (service/approvals/): the revocation runs in the approval.
    const requested = await call(a, 'POST', `/v1/tenants/${tenant}/sessions/revoke-all`, admin.accessToken, { reason: 'suspected token leak' });
    expect(requested.statusCode).toBe(201);
    const approver = await createTestUser(db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    const approverSession = await sessionFor(db, approver.userId, new Date());
    await grantStepUp(db, approverSession.session.id, new Date(Date.now() + 5 * 60_000));
    const approvalId = requested.json<{ id: string }>().id;
    const res = await call(a, 'POST', `/v1/tenants/${tenant}/approvals/${approvalId}/approve`, approverSession.accessToken, { comment: 'ok' });
    expect(res.json<{ result: unknown }>().result).toEqual({ revoked: 2 });
    await expectRevokedOnB(sessions);
    expect((await call(b, 'GET', '/v1/me', approverSession.accessToken)).statusCode).toBe(200);
    expect((await call(b, 'GET', '/v1/me', admin.accessToken)).statusCode).toBe(200);
  });

  it('a refresh token is refused on B once its session is revoked on A, even if B just rotated it', async () => {
    const { tenant, admin, user } = await setUp();
    const s = await sessionFor(db, user.userId, new Date());
    const rotated = await call(b, 'POST', '/v1/auth/refresh', undefined, { refreshToken: s.refreshToken });
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json<SessionTokens>();
    await call(a, 'POST', `/v1/tenants/${tenant}/sessions/${s.session.id}/revoke`, admin.accessToken);
    await expectRevokedOnB([fresh]);
  });
});
