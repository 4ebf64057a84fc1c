import type { TenantId } from '../../shared/tenants/tenant';
import { plainCompareHasher, type Db } from '../../service';
import { searchPeople } from '../../service/people/person-search';
import type { PersonScope } from '../../service/people/person-scope';
import { createTestTenant } from '../../service/testing/identity-fixtures';
import { openAuthFixture } from '../auth/auth-fixture';
import { percentile, round, type Bench, type BenchResult } from '../harness';
import { MEMBERS, seedBenchPeople } from './person-page.bench';

const N = 60;
const WARMUP = 5;
const LIMIT = 20;

/** The search as it was before migration 0026: LIKE under users' policies, which read every user. */
const formerSearch = async (db: Db, scope: PersonScope, like: string): Promise<void> => {
  if (scope.kind === 'platform') {
    await db.platform((tx) =>
      tx.query('SELECT id FROM users WHERE lower(email) LIKE $1 OR lower(display_name) LIKE $1 ORDER BY display_name, id LIMIT $2', [like, LIMIT]),
    );
    return;
  }
  const tenantId = scope.tenantIds[0]!;
  await db.tenant(tenantId, (tx) =>
    tx.query(
      `SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.status <> 'invited' AND (lower(u.email) LIKE $2 OR lower(u.display_name) LIKE $2)
        ORDER BY u.display_name, u.id LIMIT $3`,
      [tenantId, like, LIMIT],
    ),
  );
};

const timed = async (call: (i: number) => Promise<unknown>): Promise<number[]> => {
  for (let i = 0; i < WARMUP; i += 1) await call(i + 1);
  const out: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const t0 = performance.now();
    await call(1 + ((i * 7919) % MEMBERS));
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
};

/** The indexes the function's own query uses (EXPLAIN as its owner, the engine's login role). */
const planIndexes = async (db: Db): Promise<string[]> => {
  const rows = await db.platform(async (tx) => {
    await tx.query('RESET ROLE');
    return tx.query<Record<string, string>>(
      "EXPLAIN SELECT u.id FROM users u WHERE lower(u.email) LIKE '%member4711@%' OR lower(u.display_name) LIKE '%member4711@%'",
    );
  });
  const plan = rows.map((r) => Object.values(r)[0]).join('\n');
  return [...plan.matchAll(/Index Scan on (\w+)/g)].map((m) => m[1]!);
};

/** GET /v1/people?q= 's query among 50,000 people, as platform staff and as one tenant's admin; baseline: the former query (LIKE under RLS) in the same database. */
export const peopleSearchBench: Bench = {
  name: 'people.search',
  description: `The people search's query (searchPeople, a substring of email or name) among ${MEMBERS.toLocaleString('en')} people through the trigram indexes of migration 0026, in platform scope and in one tenant's; baseline: the former LIKE query in the same scope and database`,
  async run(): Promise<BenchResult[]> {
    const f = await openAuthFixture(plainCompareHasher());
    try {
      const tenant: TenantId = await createTestTenant(f.db, 'Search bench tenant');
      await seedBenchPeople(f, tenant);
      const scopes: [string, PersonScope][] = [
        ['platform', { kind: 'platform' }],
        ['tenant', { kind: 'tenants', tenantIds: [tenant] }],
      ];
      const uses = await planIndexes(f.db);
      const results: BenchResult[] = [];
      for (const [name, scope] of scopes) {
        const before = await timed((i) => formerSearch(f.db, scope, `%member${i}@%`));
        const after = await timed(async (i) => {
          const found = await searchPeople(f.db, scope, `member${i}@`, LIMIT);
          if (found.length !== 1) throw new Error(`member${i}@ found ${found.length} people`);
        });
        results.push({
          bench: `people.search.${name}`,
          n: N,
          value: round(percentile(after, 50)),
          unit: 'ms (p50)',
          baseline: round(percentile(before, 50)),
          ratio: round(percentile(after, 50) / percentile(before, 50)),
          p99_ms: round(percentile(after, 99)),
          baseline_p99_ms: round(percentile(before, 99)),
          people: MEMBERS,
          storage: f.storage,
          plan_indexes: uses,
        });
      }
      return results;
    } finally {
      await f.close();
    }
  },
};
