import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer, ephemeralKeyRing, openDatabase, pgliteDir, type Db, type PasswordHasher } from '../../service';
import { createTestUser, sessionFor, type TestUser } from '../../service/testing/identity-fixtures';
import { currentCode } from '../../service/identity/totp';

/** A migrated PGlite (or BENCH_DATABASE_URL) database with one MFA-enrolled platform user, served in-process. */
export const openAuthFixture = async (hasher: PasswordHasher) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-auth-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const db: Db = await openDatabase(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dir: pgliteDir(dataDir) });
  const keys = ephemeralKeyRing();
  let clock = new Date('2026-03-02T09:00:00Z');
  const app: FastifyInstance = await buildServer({ db, tls: null, logger: false, keys, hasher, now: () => clock, rateLimits: false });
  await app.ready();
  const user: TestUser = await createTestUser(db, keys, hasher, { platformRoles: ['security_officer'] });
  return {
    db,
    app,
    user,
    storage: db.engine,
    now: () => clock,
    /** Moves the clock to the next TOTP step (a code is accepted once per step). */
    nextStep: () => (clock = new Date(clock.getTime() + 30_000)),
    code: () => currentCode(user.secret ?? new Uint8Array(), clock),
    session: () => sessionFor(db, user.userId, clock),
    close: async () => {
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
