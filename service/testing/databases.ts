/**
 * Test helpers: a fresh, migrated database per test file on every engine under
 * test. PGlite's initdb takes seconds, so one migrated template folder is built
 * per set of migrations (shared by all workers, kept in the OS temp dir) and
 * copied per test; PostgreSQL gets a new database per file from TEST_DATABASE_URL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../db/db';
import type { SqlEngine, StorageEngine } from '../db/engine';
import { loadMigrations, migrate } from '../db/migrations';
import { openPgliteEngine } from '../db/pglite-engine';
import { openPostgresEngine } from '../db/postgres-engine';
import type { DatabaseLocation } from '../db/open-database';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** Every engine the storage tests run on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_ENGINES: readonly StorageEngine[] = ['pglite', ...(TEST_DATABASE_URL ? (['postgres'] as const) : [])];

const pgliteVersion = (): string => {
  const require = createRequire(import.meta.url);
  // The package's exports hide package.json; it sits one level above dist/.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return pkg.version;
};

const templates = new Map<string, Promise<{ empty: string; migrated: string }>>();

/**
 * Closed PGlite folders to copy, built once per migration set and PGlite version:
 * `empty` (just initdb'd) and `migrated`. Several workers may build at once; each
 * builds in a private folder and renames it into place, and the loser discards its own.
 */
export const pgliteTemplates = (): Promise<{ empty: string; migrated: string }> => {
  const key = createHash('sha256')
    .update(pgliteVersion())
    .update(loadMigrations().map((m) => m.checksum).join(','))
    .digest('hex')
    .slice(0, 16);
  let pending = templates.get(key);
  if (!pending) {
    pending = (async () => {
      const empty = join(tmpdir(), `attest-test-pglite-${key}-empty`);
      const migrated = join(tmpdir(), `attest-test-pglite-${key}-migrated`);
      if (existsSync(join(empty, 'PG_VERSION')) && existsSync(join(migrated, 'PG_VERSION'))) return { empty, migrated };
      const building = mkdtempSync(join(tmpdir(), 'attest-test-pglite-building-'));
      const engine = await openPgliteEngine(join(building, 'db'));
      await engine.close();
      cpSync(join(building, 'db'), join(building, 'empty'), { recursive: true });
      const again = await openPgliteEngine(join(building, 'db'));
      await migrate(again);
      await again.close();
      for (const [from, to] of [
        [join(building, 'empty'), empty],
        [join(building, 'db'), migrated],
      ] as const) {
        try {
          renameSync(from, to);
        } catch {
          // Another worker finished first; its copy is as good as ours.
        }
      }
      rmSync(building, { recursive: true, force: true });
      return { empty, migrated };
    })();
    templates.set(key, pending);
  }
  return pending;
};

const madeDirs: string[] = [];

/** A new temporary directory, removed by removeTempDirs() (call it in afterAll: PGlite copies are ~40 MB). */
export const tempDir = (prefix = 'attest-test-'): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
};

export const removeTempDirs = (): void => {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

/** Copies a PGlite template into dir (e.g. `<dataDir>/pgdata`). */
export const copyPgliteTemplate = async (dir: string, which: 'empty' | 'migrated' = 'migrated'): Promise<void> => {
  cpSync((await pgliteTemplates())[which], dir, { recursive: true });
};

const adminQuery = async (sql: string): Promise<void> => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

export interface TestPostgresDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export const createPostgresDatabase = async (): Promise<TestPostgresDatabase> => {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `attest_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
};

export interface TestDatabase {
  readonly kind: StorageEngine;
  readonly location: DatabaseLocation;
  /** The raw engine (runs as the connecting role, outside RLS): for assertions and tampering only. */
  readonly engine: SqlEngine;
  readonly db: Db;
  dispose(): Promise<void>;
}

/** A fresh, migrated database of the given engine. */
export const openTestDatabase = async (kind: StorageEngine): Promise<TestDatabase> => {
  if (kind === 'pglite') {
    const root = tempDir();
    const dir = join(root, 'pgdata');
    await copyPgliteTemplate(dir);
    const engine = await openPgliteEngine(dir);
    await migrate(engine);
    return {
      kind,
      location: { kind, dir },
      engine,
      db: createDb(engine),
      dispose: async () => {
        await engine.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  const database = await createPostgresDatabase();
  const engine = await openPostgresEngine(database.url);
  await migrate(engine);
  return {
    kind,
    location: { kind, url: database.url },
    engine,
    db: createDb(engine),
    dispose: async () => {
      await engine.close();
      await database.drop();
    },
  };
};
