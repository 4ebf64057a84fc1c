import type { TenantId } from '../../shared/tenants/tenant';
import { plainCompareHasher } from '../../service';
import { createTestTenant } from '../../service/testing/identity-fixtures';
import { openAuthFixture } from '../auth/auth-fixture';
import { percentile, round, type Bench, type BenchResult } from '../harness';

export const MEMBERS = 50_000;
const N = 200;
const WARMUP = 20;
const userId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** 50,000 people in one tenant, each with a membership (what the person page and the palette's search walk). */
export const seedBenchPeople = async (f: Awaited<ReturnType<typeof openAuthFixture>>, tenant: TenantId) => {
  await f.db.platform(async (tx) => {
    await tx.query(
      `INSERT INTO users (id, email, display_name, mfa_enrolled_at)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'member' || i || '@bench.example', 'Member ' || i, timestamptz '2026-01-01'
         FROM generate_series(1, $1::int) AS i`,
      [MEMBERS],
    );
    await tx.query(
      `INSERT INTO memberships (tenant_id, user_id, role, status)
       SELECT $1::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'viewer', 'active' FROM generate_series(1, $2::int) AS i`,
      [tenant, MEMBERS],
    );
  });
  await f.db.platform(async (tx) => {
    await tx.query("SELECT set_config('role', 'none', true)");
    await tx.query('ANALYZE memberships');
    await tx.query('ANALYZE users');
  });
};

/** GET /v1/people/:id and GET /v1/people?q= as platform staff, in-process; baseline: the members list's first page of the same tenant. */
export const personPageBench: Bench = {
  name: 'people.page',
  description: `The person page's read (GET /v1/people/:id) and the command palette's people search (GET /v1/people?q=) among ${MEMBERS.toLocaleString('en')} people, as platform staff; baseline: the same tenant's members list, first page of 100`,
  async run(): Promise<BenchResult[]> {
    const f = await openAuthFixture(plainCompareHasher());
    try {
      const tenant = await createTestTenant(f.db, 'Bench tenant');
      await seedBenchPeople(f, tenant);
      const { accessToken } = await f.session();
      const get = async (url: string) => {
        const res = await f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${accessToken}` } });
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
      };
      const time = async (url: (i: number) => string) => {
        for (let i = 0; i < WARMUP; i += 1) await get(url(i + 1));
        const out: number[] = [];
        for (let i = 0; i < N; i += 1) {
          const t0 = performance.now();
          await get(url(1 + ((i * 7919) % MEMBERS)));
          out.push(performance.now() - t0);
        }
        return out.sort((a, b) => a - b);
      };
      const base = await time(() => `/v1/tenants/${tenant}/members?limit=100`);
      const baseP50 = percentile(base, 50);
      const line = (bench: string, values: number[], extra: Record<string, unknown>): BenchResult => ({
        bench,
        n: values.length,
        value: round(percentile(values, 50)),
        unit: 'ms (p50)',
        baseline: round(baseP50),
        ratio: round(percentile(values, 50) / baseP50),
        p99_ms: round(percentile(values, 99)),
        baseline_p99_ms: round(percentile(base, 99)),
        people: MEMBERS,
        storage: f.storage,
        ...extra,
      });
      const page = await time((i) => `/v1/people/${userId(i)}`);
      const search = await time((i) => `/v1/people?q=member${i}@`);
      return [line('people.page.read', page, {}), line('people.page.search', search, { query: 'member<i>@ (substring of email)' })];
    } finally {
      await f.close();
    }
  },
};
