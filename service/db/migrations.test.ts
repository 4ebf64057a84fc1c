import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPgliteTemplate, createPostgresDatabase, openTestDatabase, removeTempDirs, tempDir, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { openPgliteEngine } from './pglite-engine';
import { openPostgresEngine } from './postgres-engine';
import { checksumOf, loadMigrations, migrate, MigrationError } from './migrations';

describe('loadMigrations', () => {
  afterAll(removeTempDirs);

  const dirWith = (files: Record<string, string>): string => {
    const dir = tempDir('attest-migrations-');
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
    return dir;
  };

  it('reads the shipped migrations in order with checksums', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(migrations[0]?.name).toBe('app_role');
    for (const m of migrations) expect(m.checksum).toBe(checksumOf(m.sql));
  });

  it('treats CRLF and LF checkouts alike', () => {
    const lf = loadMigrations(dirWith({ '0001_a.sql': 'SELECT 1;\nSELECT 2;\n' }));
    const crlf = loadMigrations(dirWith({ '0001_a.sql': 'SELECT 1;\r\nSELECT 2;\r\n' }));
    expect(crlf[0]?.checksum).toBe(lf[0]?.checksum);
  });

  it('refuses gaps, duplicates and badly named files', () => {
    expect(() => loadMigrations(dirWith({ '0001_a.sql': '', '0003_c.sql': '' }))).toThrow(MigrationError);
    expect(() => loadMigrations(dirWith({ '0001_a.sql': '', '0001_b.sql': '' }))).toThrow(MigrationError);
    expect(() => loadMigrations(dirWith({ '1_a.sql': '' }))).toThrow(/NNNN_name\.sql/);
  });
});

describe.each(TEST_ENGINES)('migrate on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(() => t.dispose());

  it('records every migration with its checksum and is idempotent', async () => {
    const rows = await t.engine.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
      'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => [r.version, r.name, r.checksum])).toEqual(loadMigrations().map((m) => [m.version, m.name, m.checksum]));
    expect(rows.every((r) => r.applied_at instanceof Date)).toBe(true);
    expect(await migrate(t.engine)).toEqual({ applied: [] });
  });

  it('refuses a database whose applied migration was changed', async () => {
    const changed = loadMigrations().map((m) => (m.version === 2 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: checksumOf(`${m.sql}\n-- edited`) } : m));
    await expect(migrate(t.engine, changed)).rejects.toThrow(/migration 0002_tenants was changed after it was applied/);
  });

  it('refuses a database with a migration this version does not know', async () => {
    const older = loadMigrations().slice(0, -1);
    await expect(migrate(t.engine, older)).rejects.toThrow(/does not know/);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const known = loadMigrations();
    const broken = { version: known.length + 1, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_fn();', checksum: 'x' };
    await expect(migrate(t.engine, [...known, broken])).rejects.toThrow(/migration \d{4}_broken failed/);
    const tables = await t.engine.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
    expect(tables).toEqual([]);
    const recorded = await t.engine.query('SELECT 1 FROM schema_migrations WHERE version = $1', [broken.version]);
    expect(recorded).toEqual([]);
  });
});

describe.each(TEST_ENGINES)('concurrent migrators on %s', (kind) => {
  afterAll(removeTempDirs);

  it('apply each migration exactly once to a new database', async () => {
    const all = loadMigrations().map((m) => m.version);
    if (kind === 'pglite') {
      // One process owns a PGlite folder, so "two instances" are two callers on one engine.
      const dir = join(tempDir(), 'pgdata');
      await copyPgliteTemplate(dir, 'empty');
      const engine = await openPgliteEngine(dir);
      try {
        const results = await Promise.all([migrate(engine), migrate(engine)]);
        expect(results.flatMap((r) => r.applied).sort((x, y) => x - y)).toEqual(all);
      } finally {
        await engine.close();
      }
      return;
    }
    const database = await createPostgresDatabase();
    const a = await openPostgresEngine(database.url);
    const b = await openPostgresEngine(database.url);
    try {
      const results = await Promise.all([migrate(a), migrate(b)]);
      expect(results.flatMap((r) => r.applied).sort((x, y) => x - y)).toEqual(all);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});
