import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { TenantId } from '../../shared/tenants/tenant';
import { buildServer, ephemeralKeyRing, openDatabase, pgliteDir, plainCompareHasher, type Db } from '../../service';
import { createTestTenant, createTestUser, grantStepUp, sessionFor } from '../../service/testing/identity-fixtures';

/**
 * A migrated PGlite (or BENCH_DATABASE_URL) database served by `instances`
 * service instances (each with its own connection pool, as separate processes
 * would have; PGlite allows one), and a tenant whose two owners hold stepped-up sessions.
 */
export const openSessionsFixture = async (instances: number) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-sessions-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const location = databaseUrl ? ({ kind: 'postgres', url: databaseUrl } as const) : ({ kind: 'pglite', dir: pgliteDir(dataDir) } as const);
  const dbs: Db[] = [];
  const apps: FastifyInstance[] = [];
  const keys = ephemeralKeyRing();
  const hasher = plainCompareHasher();
  for (let i = 0; i < (location.kind === 'pglite' ? 1 : instances); i += 1) {
    const db = await openDatabase(location);
    const app = await buildServer({ db, tls: null, logger: false, keys, hasher, rateLimits: false });
    await app.ready();
    dbs.push(db);
    apps.push(app);
  }
  const db = dbs[0] as Db;
  const tenantId: TenantId = await createTestTenant(db);
  const owner = await createTestUser(db, keys, hasher, { memberships: [{ tenantId, role: 'owner' }] });
  const ownerSession = await sessionFor(db, owner.userId, new Date());
  await grantStepUp(db, ownerSession.session.id, new Date(Date.now() + 3_600_000));
  // A second owner: tenant-wide revocation runs when someone other than the requester approves it.
  const approver = await createTestUser(db, keys, hasher, { memberships: [{ tenantId, role: 'owner' }] });
  const approverSession = await sessionFor(db, approver.userId, new Date());
  await grantStepUp(db, approverSession.session.id, new Date(Date.now() + 3_600_000));
  return {
    db,
    apps,
    storage: db.engine,
    tenantId,
    ownerToken: ownerSession.accessToken,
    approverToken: approverSession.accessToken,
    newSession: async () => {
      const user = await createTestUser(db, keys, hasher, { memberships: [{ tenantId, role: 'viewer' }] });
      return sessionFor(db, user.userId, new Date());
    },
    close: async () => {
      for (const app of apps) await app.close();
      for (const d of dbs) await d.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
