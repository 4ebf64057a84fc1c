import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, ephemeralKeyRing, openDatabase, pgliteDir, plainCompareHasher } from '../../service';
import { createFirstOperator } from '../../service/operators/first-operator';
import { createTestTenant } from '../../service/testing/identity-fixtures';
import { percentile, round, type Bench, type BenchResult } from '../harness';

const EVENTS = 1_000_000;
const N = 300;

/**
 * A million events written in bulk by the owning role (the bench measures reads;
 * appendAuditEvent's write path is audit.append's subject): a mix of actions,
 * actors, targets and outcomes as a busy tenant's log would have.
 */
const fill = async (tenant: string, raw: (sql: string, params: unknown[]) => Promise<unknown>): Promise<void> => {
  const CHUNK = 100_000;
  for (let from = 1; from <= EVENTS; from += CHUNK) {
    await raw(
      `INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
       SELECT $1::uuid, g, timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second', 'user', 'user-' || (g % 500),
              (ARRAY['auth.login', 'session.revoked', 'member.role_changed', 'auth.login_failed', 'tenant.updated'])[1 + g % 5],
              (ARRAY['user:', 'session:', 'tenant:'])[1 + g % 3] || (g % 10000),
              CASE WHEN g % 50 = 0 THEN 'denied' WHEN g % 20 = 0 THEN 'failure' ELSE 'success' END,
              'req-' || g, jsonb_build_object('n', g), repeat('ab', 32), sha256(int8send(g))
       FROM generate_series($2::bigint, $3::bigint) g`,
      [tenant, from, Math.min(EVENTS, from + CHUNK - 1)],
    );
  }
  await raw('ANALYZE audit_events', []);
};

/** GET …/audit/events with filters at a million events in one tenant, through the service in-process. */
export const auditQueryBench: Bench = {
  name: 'audit.query',
  description:
    "p99 latency of a filtered page (actor + action, target prefix + outcome, time range) of GET /v1/tenants/:id/audit/events at 1,000,000 events, in-process through the service on PGlite; baseline: the unfiltered first page",
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'attest-bench-audit-query-'));
    const db = await openDatabase({ kind: 'pglite', dir: pgliteDir(dir) });
    try {
      const tenant = await createTestTenant(db, 'Busy');
      // Bulk load as PGlite's session user (the owner): the app role may only append through the tree.
      const ownerQuery = async (sql: string, params: unknown[]) => {
        await db.tenant(tenant, async (tx) => {
          await tx.query('RESET ROLE');
          await tx.query(sql, params);
        });
      };
      const t0 = performance.now();
      await fill(tenant, ownerQuery);
      const fillSeconds = (performance.now() - t0) / 1000;
      const hasher = plainCompareHasher();
      const app = await buildServer({ db, tls: null, logger: false, keys: ephemeralKeyRing(), hasher, rateLimits: false });
      await app.ready();
      const token = (await createFirstOperator(db, { name: 'Bench', tokenLabel: 'b', actor: { type: 'system', id: 'bench' } })).token.token;
      const queries = [
        `actor=user-42&action=auth.login&limit=100`,
        `target=session:&outcome=denied&limit=100`,
        `from=2026-01-05T00:00:00Z&to=2026-01-06T00:00:00Z&limit=100`,
        `action=member.role_changed&cursor=500000&limit=100`,
      ];
      const time = async (query: string): Promise<number[]> => {
        const out: number[] = [];
        for (let i = 0; i < N + 20; i++) {
          const q = i % 2 === 0 ? query : query.replace('user-42', `user-${i % 500}`);
          const s = performance.now();
          const res = await app.inject({ method: 'GET', url: `/v1/tenants/${tenant}/audit/events?${q}`, headers: { authorization: `Bearer ${token}` } });
          if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
          if (i >= 20) out.push(performance.now() - s);
        }
        return out;
      };
      const filtered: number[] = [];
      const perQuery: Record<string, number> = {};
      for (const q of queries) {
        const ms = await time(q);
        perQuery[q] = round(percentile([...ms].sort((a, b) => a - b), 99), 2);
        filtered.push(...ms);
      }
      filtered.sort((a, b) => a - b);
      const base = (await time('limit=100')).sort((a, b) => a - b);
      await app.close();
      const p99 = percentile(filtered, 99);
      return [
        {
          bench: 'audit.query',
          n: filtered.length,
          value: round(p99, 2),
          unit: 'ms (p99)',
          baseline: round(percentile(base, 99), 2),
          ratio: round(p99 / percentile(base, 99), 2),
          p50_ms: round(percentile(filtered, 50), 2),
          events: EVENTS,
          target_p99_ms: 50,
          fill_seconds: round(fillSeconds, 1),
          storage: db.engine,
          p99_ms_by_query: perQuery,
        },
      ];
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
