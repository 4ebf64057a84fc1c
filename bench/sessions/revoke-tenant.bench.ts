import { median, round, type Bench, type BenchResult } from '../harness';
import { openSessionsFixture } from './sessions-fixture';

const SESSIONS = 100_000;
const MEMBERS = 1_000;
const RUNS = 3;

/** Revoke every session of a tenant holding 100,000 sessions (1,000 members × 100), through the endpoint. */
export const sessionsRevokeTenantBench: Bench = {
  name: 'sessions.revoke_tenant',
  description:
    "Approving a revoke-all request (POST /v1/tenants/:id/approvals/:id/approve; requested by another owner beforehand, untimed) over 100,000 live sessions (tenant scope: RLS and the membership check per row, audit events, one transaction); baseline: a plain UPDATE of the same rows in platform scope",
  async run(): Promise<BenchResult[]> {
    const f = await openSessionsFixture(1);
    try {
      const app = f.apps[0];
      if (!app) throw new Error('no instance');
      await f.db.platform(async (tx) => {
        await tx.query(
          `INSERT INTO users (id, email, display_name)
           SELECT gen_random_uuid(), 'bench-' || $1::text || '-' || i || '@example.com', 'Bench ' || i FROM generate_series(1, $2::int) i`,
          [f.tenantId, MEMBERS],
        );
        await tx.query(
          `INSERT INTO memberships (tenant_id, user_id, role) SELECT $1, id, 'viewer' FROM users WHERE email LIKE $2`,
          [f.tenantId, `bench-${f.tenantId}-%`],
        );
        await tx.query(
          `INSERT INTO sessions (id, user_id, created_at, last_seen_at, idle_timeout_seconds, absolute_expires_at, ip, user_agent)
           SELECT gen_random_uuid(), m.user_id, now(), now(), 1209600, now() + interval '30 days', '10.0.0.1', 'bench'
             FROM memberships m CROSS JOIN generate_series(1, $2::int)
            WHERE m.tenant_id = $1 AND m.role = 'viewer'`,
          [f.tenantId, SESSIONS / MEMBERS],
        );
      });
      const bench = `bench-${f.tenantId}-%`;
      const unrevoke = () =>
        f.db.platform((tx) =>
          tx.query('UPDATE sessions SET revoked_at = NULL, revoked_reason = NULL WHERE user_id IN (SELECT id FROM users WHERE email LIKE $1)', [bench]),
        );
      const real: number[] = [];
      const base: number[] = [];
      let revoked = 0;
      for (let i = 0; i < RUNS; i += 1) {
        await unrevoke();
        const json = { 'content-type': 'application/json' };
        const requested = await app.inject({
          method: 'POST',
          url: `/v1/tenants/${f.tenantId}/sessions/revoke-all`,
          headers: { authorization: `Bearer ${f.ownerToken}`, ...json },
          payload: JSON.stringify({ reason: 'bench' }),
        });
        if (requested.statusCode !== 201) throw new Error(`revoke-all request failed: ${requested.statusCode} ${requested.body}`);
        let t0 = performance.now();
        const res = await app.inject({
          method: 'POST',
          url: `/v1/tenants/${f.tenantId}/approvals/${requested.json<{ id: string }>().id}/approve`,
          headers: { authorization: `Bearer ${f.approverToken}`, ...json },
          payload: JSON.stringify({ comment: 'bench' }),
        });
        real.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(`approval failed: ${res.statusCode} ${res.body}`);
        revoked = Number(res.json<{ result: { revoked: number } }>().result.revoked);
        await unrevoke();
        t0 = performance.now();
        await f.db.platform((tx) =>
          tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'revoked' WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE email LIKE $1)", [
            bench,
          ]),
        );
        base.push(performance.now() - t0);
      }
      if (revoked !== SESSIONS) throw new Error(`revoked ${revoked}, expected ${SESSIONS}`);
      const value = median(real);
      const baseline = median(base);
      return [
        {
          bench: 'sessions.revoke_tenant',
          n: RUNS,
          value: round(value, 1),
          unit: 'ms (median)',
          baseline: round(baseline, 1),
          ratio: round(value / baseline, 2),
          sessions: revoked,
          runs_ms: real.map((x) => round(x, 1)),
          baseline_runs_ms: base.map((x) => round(x, 1)),
          target_ms: f.storage === 'postgres' ? 1000 : 3000,
          storage: f.storage,
        },
      ];
    } finally {
      await f.close();
    }
  },
};
