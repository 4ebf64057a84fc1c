import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlEngine, SqlTx } from './engine';
import { advisoryXactLock, LOCKS } from './locks';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** SHA-256 (hex) of the file with line endings normalised. */
  readonly checksum: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export const checksumOf = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/** Reads NNNN_name.sql files; versions must run 1, 2, 3… without gaps or duplicates. */
export const loadMigrations = (dir: string = MIGRATIONS_DIR): Migration[] => {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE.exec(file);
      if (!m?.[1] || !m[2]) throw new MigrationError(`migration file ${file} is not named NNNN_name.sql`);
      // A checkout with CRLF line endings must not look like a tampered migration.
      const sql = readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n');
      return { version: Number(m[1]), name: m[2], sql, checksum: checksumOf(sql) };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration versions must be 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  return migrations;
};

interface AppliedRow extends Record<string, unknown> {
  version: number;
  name: string;
  checksum: string;
}

const label = (version: number, name: string): string => `${String(version).padStart(4, '0')}_${name}`;

/**
 * The runner's own bookkeeping. attest_app has no privilege on it at all, which
 * is stronger than a row-level policy; only the migrating (owner) role touches it.
 */
const lockAndReadApplied = async (tx: SqlTx): Promise<AppliedRow[]> => {
  await advisoryXactLock(tx, LOCKS.migrations);
  await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  return tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
};

const verify = (applied: readonly AppliedRow[], known: readonly Migration[]): void => {
  const byVersion = new Map(known.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = byVersion.get(row.version);
    if (!m) {
      throw new MigrationError(
        `the database has migration ${label(row.version, row.name)} applied, which this version of Attest does not know ` +
          '(was it migrated by a newer version?); refusing to start',
      );
    }
    if (m.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${label(m.version, m.name)} was changed after it was applied ` +
          `(recorded checksum ${row.checksum}, file checksum ${m.checksum}); refusing to start. ` +
          'Restore the original file and add a new migration for the change.',
      );
    }
  }
};

export interface MigrateResult {
  /** Versions applied by this call (empty when the schema was current). */
  readonly applied: number[];
}

/**
 * Applies pending migrations in order, each in its own transaction, under an
 * advisory lock so that two instances starting at once on one PostgreSQL
 * database apply each migration exactly once. Migrations run as the connecting
 * (owning) role, not as attest_app: they create the tables and the role.
 */
export const migrate = async (engine: SqlEngine, migrations: readonly Migration[] = loadMigrations()): Promise<MigrateResult> => {
  const applied = await engine.transaction(lockAndReadApplied);
  verify(applied, migrations);
  const done = new Set(applied.map((r) => r.version));
  const result: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    await engine.transaction(async (tx) => {
      const now = await lockAndReadApplied(tx);
      verify(now, migrations);
      if (now.some((r) => r.version === m.version)) return; // another instance got there first
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new MigrationError(`migration ${label(m.version, m.name)} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      result.push(m.version);
    });
  }
  return { applied: result };
};
