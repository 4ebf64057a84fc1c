import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSlug } from '../../shared/tenants/slug';
import type { SqlEngine } from '../db/engine';
import { loadMigrations, migrate } from '../db/migrations';
import { openPgliteEngine } from '../db/pglite-engine';
import { openPostgresEngine } from '../db/postgres-engine';
import { copyPgliteTemplate, createPostgresDatabase, removeTempDirs, tempDir, TEST_ENGINES } from '../testing/databases';

/** A database migrated up to (not including) 0018, so tenants exist before slugs do. */
const openBefore0018 = async (kind: (typeof TEST_ENGINES)[number]): Promise<{ engine: SqlEngine; dispose(): Promise<void> }> => {
  if (kind === 'pglite') {
    const dir = join(tempDir(), 'pgdata');
    await copyPgliteTemplate(dir, 'empty');
    const engine = await openPgliteEngine(dir);
    return { engine, dispose: () => engine.close() };
  }
  const database = await createPostgresDatabase();
  const engine = await openPostgresEngine(database.url);
  return {
    engine,
    dispose: async () => {
      await engine.close();
      await database.drop();
    },
  };
};

describe.each(TEST_ENGINES)('migration 0018 backfills slugs on %s', (kind) => {
  afterAll(removeTempDirs);

  it('gives every existing tenant a valid, unique slug derived from its name, and leaves it active', async () => {
    const { engine, dispose } = await openBefore0018(kind);
    try {
      const all = loadMigrations();
      await migrate(engine, all.filter((m) => m.version < 18));
      const names = ['Acme Corp', 'ACME corp!', 'Acme-Corp', 'A', '日本', '--', 'x'.repeat(200), 'Café Müller'];
      const ids = names.map(() => randomUUID());
      for (const [i, name] of names.entries()) {
        await engine.query("INSERT INTO tenants (id, name, region, plan, created_at) VALUES ($1, $2, 'eu', 'team', $3)", [
          ids[i],
          name,
          new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        ]);
      }
      await migrate(engine, all);
      const rows = await engine.query<{ id: string; slug: string; status: string }>('SELECT id, slug, status FROM tenants');
      const slugOf = new Map(rows.map((r) => [r.id, r.slug]));
      expect(rows.every((r) => isSlug(r.slug) && r.status === 'active')).toBe(true);
      expect(new Set(rows.map((r) => r.slug)).size).toBe(names.length);
      expect(slugOf.get(ids[0]!)).toBe('acme-corp');
      expect(slugOf.get(ids[1]!)).toBe(`acme-corp-${ids[1]!.slice(0, 8)}`);
      expect(slugOf.get(ids[3]!)).toBe('a-tenant');
      expect(slugOf.get(ids[4]!)).toBe('tenant');
      expect(slugOf.get(ids[7]!)).toBe('caf-m-ller');
    } finally {
      await dispose();
    }
  });
});
