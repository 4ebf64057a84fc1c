import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { argon2Hasher, ephemeralKeyRing, openDatabase, pgliteDir, seedDemo, type DatabaseLocation } from '../../service';
import { seedLargeDemo } from '../../service/demo/large-demo';
import { round, type Bench, type BenchResult } from '../harness';

type Fresh = { location: DatabaseLocation; drop(): Promise<void> };

const admin = async (url: string, sql: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** A new PostgreSQL database beside BENCH_DATABASE_URL's (a seed into a used one would measure its leftovers too). */
const freshPostgres = async (url: string): Promise<Fresh> => {
  const name = `attest_bench_seed_${randomBytes(5).toString('hex')}`;
  await admin(url, `CREATE DATABASE ${name}`);
  const at = new URL(url);
  at.pathname = `/${name}`;
  return { location: { kind: 'postgres', url: at.toString() }, drop: () => admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
};

const freshPglite = (): Fresh => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-seed-'));
  return { location: { kind: 'pglite', dir: pgliteDir(dir) }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
};

/** "large demo: 1,000,000 audit events in 12.3 s (…)" → ["1,000,000 audit events", 12.3] */
const PHASE = /^large demo: (.+) in (\d+\.\d) s \(/;

const runOn = async (fresh: Fresh): Promise<BenchResult> => {
  const db = await openDatabase(fresh.location);
  try {
    const t0 = performance.now();
    const seeded = await seedDemo(db, { keys: ephemeralKeyRing(), hasher: await argon2Hasher() });
    const small = (performance.now() - t0) / 1000;
    if (!seeded) throw new Error('the fresh database was not new');
    const phases: Record<string, number> = {};
    const large = await seedLargeDemo(db, {
      officerUserId: seeded.users[0]!.userId,
      progress: (line) => {
        const m = PHASE.exec(line);
        if (m) phases[m[1]!] = Number(m[2]);
      },
    });
    return {
      bench: 'demo.large_seed',
      n: 1,
      value: round(large.seconds, 1),
      unit: 's',
      baseline: round(small, 2),
      ratio: round(large.seconds / small, 1),
      storage: fresh.location.kind,
      sizes: large.sizes,
      phases_s: phases,
      target_s: 60,
    };
  } finally {
    await db.close();
    await fresh.drop();
  }
};

/** Which engines to seed: DEMO_BENCH_ENGINES=postgres skips PGlite's (slower) run. */
const engines = (): string[] => (process.env.DEMO_BENCH_ENGINES ?? 'pglite,postgres').split(',');

export const demoLargeSeedBench: Bench = {
  name: 'demo.large_seed',
  description:
    'Seconds to seed `--demo large` (50,000 members, 100,000 sessions, 1,000,000 audit events with their Merkle tree, 5,000 incidents) into a fresh database, per phase; on PGlite and on a new database beside BENCH_DATABASE_URL; baseline: the normal demo seed in the same database',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    const url = process.env.BENCH_DATABASE_URL;
    if (engines().includes('pglite')) results.push(await runOn(freshPglite()));
    if (url && engines().includes('postgres')) results.push(await runOn(await freshPostgres(url)));
    return results;
  },
};
