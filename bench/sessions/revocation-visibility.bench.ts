import { percentile, round, type Bench, type BenchResult } from '../harness';
import { openSessionsFixture } from './sessions-fixture';

const N = 200;

/** From sending a revocation to instance A until instance B refuses the session (B is asked right after A answers). */
export const sessionsRevocationVisibilityBench: Bench = {
  name: 'sessions.revocation_visibility',
  description:
    'Time from POST …/sessions/:id/revoke on instance A to the first 401 session_revoked on instance B (two instances with their own pools on BENCH_DATABASE_URL; one instance on PGlite); baseline: one authenticated GET /v1/me on B',
  async run(): Promise<BenchResult[]> {
    const f = await openSessionsFixture(2);
    try {
      const a = f.apps[0];
      const b = f.apps.at(-1);
      if (!a || !b) throw new Error('no instance');
      const me = (token: string) => b.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
      const real: number[] = [];
      const base: number[] = [];
      let stale = 0;
      for (let i = 0; i < N; i += 1) {
        const s = await f.newSession();
        let t0 = performance.now();
        if ((await me(s.accessToken)).statusCode !== 200) throw new Error('session not accepted on B');
        base.push(performance.now() - t0);
        t0 = performance.now();
        const res = await a.inject({
          method: 'POST',
          url: `/v1/tenants/${f.tenantId}/sessions/${s.session.id}/revoke`,
          headers: { authorization: `Bearer ${f.ownerToken}` },
        });
        if (res.statusCode !== 200) throw new Error(`revoke failed: ${res.statusCode} ${res.body}`);
        for (;;) {
          const r = await me(s.accessToken);
          if (r.statusCode === 401 && r.json<{ error: { code: string } }>().error.code === 'session_revoked') break;
          stale += 1;
        }
        real.push(performance.now() - t0);
      }
      real.sort((x, y) => x - y);
      base.sort((x, y) => x - y);
      const p99 = percentile(real, 99);
      const baseP99 = percentile(base, 99);
      return [
        {
          bench: 'sessions.revocation_visibility',
          n: N,
          value: round(p99),
          unit: 'ms (p99)',
          baseline: round(baseP99),
          ratio: round(p99 / baseP99, 1),
          p50_ms: round(percentile(real, 50)),
          stale_answers_on_b: stale,
          instances: f.apps.length,
          target_p99_ms: 100,
          storage: f.storage,
        },
      ];
    } finally {
      await f.close();
    }
  },
};
