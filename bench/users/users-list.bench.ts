import type { TenantId } from '../../shared/tenants/tenant';
import { plainCompareHasher } from '../../service';
import { createTestTenant } from '../../service/testing/identity-fixtures';
import { openAuthFixture } from '../auth/auth-fixture';
import { percentile, round, type Bench, type BenchResult } from '../harness';

const MEMBERS = 50_000;
const N = 300;
const WARMUP = 30;

/** 50,000 members in one tenant: every role, 70 % enrolled, a few invited and deactivated, sign-ins spread over a year. */
const seed = async (f: Awaited<ReturnType<typeof openAuthFixture>>, tenant: TenantId) => {
  await f.db.platform(async (tx) => {
    await tx.query(
      `INSERT INTO users (id, email, display_name, mfa_enrolled_at, last_sign_in_at)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'member' || i || '@bench.example', 'Member ' || i,
              CASE WHEN i % 10 < 7 THEN timestamptz '2026-01-01' END,
              CASE WHEN i % 13 <> 0 THEN timestamptz '2026-03-01' - (i % 365) * interval '1 day' END
         FROM generate_series(1, $1::int) AS i`,
      [MEMBERS],
    );
    await tx.query(
      `INSERT INTO memberships (tenant_id, user_id, role, status)
       SELECT $1::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
              (ARRAY['owner', 'admin', 'editor', 'reviewer', 'viewer'])[1 + (i % 5)],
              CASE WHEN i % 50 = 0 THEN 'deactivated' WHEN i % 33 = 0 THEN 'invited' ELSE 'active' END
         FROM generate_series(1, $2::int) AS i`,
      [tenant, MEMBERS],
    );
  });
  // As the owner (attest_app may not ANALYZE): PGlite has no autovacuum to gather the statistics that pick the indexes.
  await f.db.platform(async (tx) => {
    await tx.query("SELECT set_config('role', 'none', true)");
    await tx.query('ANALYZE memberships');
    await tx.query('ANALYZE users');
  });
};

/** GET /v1/tenants/:id/members, first page, through the service in-process (routing, auth, validation, serialisation). */
export const usersListBench: Bench = {
  name: 'users.list',
  description: `First page of a ${MEMBERS.toLocaleString('en')}-member tenant's members list with filters (role, MFA state, status) sorted by last sign-in, with the MFA counts; baseline: the same first page without filters (sorted by email)`,
  async run(): Promise<BenchResult[]> {
    const f = await openAuthFixture(plainCompareHasher());
    try {
      const tenant = await createTestTenant(f.db, 'Bench tenant');
      await seed(f, tenant);
      const { accessToken } = await f.session();
      const get = async (query: string) => {
        const res = await f.app.inject({ method: 'GET', url: `/v1/tenants/${tenant}/members${query}`, headers: { authorization: `Bearer ${accessToken}` } });
        if (res.statusCode !== 200) throw new Error(`members list answered ${res.statusCode}: ${res.body}`);
      };
      const filtered = '?role=viewer&mfa=not_enrolled&status=active&sort=last_sign_in&order=desc&limit=100';
      const plain = '?limit=100';
      const time = async (query: string) => {
        for (let i = 0; i < WARMUP; i += 1) await get(query);
        const out: number[] = [];
        for (let i = 0; i < N; i += 1) {
          const t0 = performance.now();
          await get(query);
          out.push(performance.now() - t0);
        }
        return out.sort((a, b) => a - b);
      };
      const real = await time(filtered);
      const base = await time(plain);
      const p99 = percentile(real, 99);
      const baseP99 = percentile(base, 99);
      return [
        {
          bench: 'users.list',
          n: real.length,
          value: round(p99),
          unit: 'ms (p99)',
          baseline: round(baseP99),
          ratio: round(p99 / baseP99),
          p50_ms: round(percentile(real, 50)),
          p99_ms: round(p99),
          baseline_p50_ms: round(percentile(base, 50)),
          target_p99_ms: 50,
          members: MEMBERS,
          page: 100,
          storage: f.storage,
        },
      ];
    } finally {
      await f.close();
    }
  },
};
