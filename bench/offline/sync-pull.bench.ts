import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, ensureCertificate, ephemeralKeyRing, openDatabase, pgliteDir, plainCompareHasher } from '../../service';
import { createFirstOperator } from '../../service/operators/first-operator';
import { createTestTenant } from '../../service/testing/identity-fixtures';
import { createServiceClient } from '../../electron/core/client/service-client';
import { createIncidentConsole } from '../../electron/core/incidents/incident-console';
import { createMemoryVault } from '../../electron/core/vault/memory-vault';
import { AUDIT_PULL_MAX_LIMIT } from '../../shared/audit/api';
import { round, type Bench, type BenchResult } from '../harness';

const EVENTS = Number(process.env.SYNC_PULL_EVENTS ?? 100_000);

/**
 * sync.pull: a console with an empty replica pulls a tenant's 100,000 audit events
 * (all inside the 90-day window) from the real service over HTTPS, through the pull
 * endpoint (GET …/audit/pull) in pages of AUDIT_PULL_MAX_LIMIT (5,000), validated and
 * stored in the replica, snapshot sealed and written. Baseline: the same pages (same
 * endpoint, `from`, cursor and limit) fetched and validated by the same client without
 * storing them. The log is not ANALYZEd, as an embedded (PGlite) service's never is.
 */
export const syncPullBench: Bench = {
  name: 'sync.pull',
  description: 'Seconds to pull 100,000 audit events into an empty replica over HTTPS (target < 10 s); baseline: fetching the same pull pages through the same client without storing',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'attest-bench-sync-pull-'));
    const db = await openDatabase({ kind: 'pglite', dir: pgliteDir(dir) });
    try {
      const tenant = await createTestTenant(db, 'Busy');
      await db.tenant(tenant, async (tx) => {
        await tx.query('RESET ROLE');
        await tx.query(
          `INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
           SELECT $1::uuid, g, date_trunc('milliseconds', now()) - ($2::bigint - g) * interval '10 milliseconds', 'user', 'user-' || (g % 500),
                  (ARRAY['auth.login', 'session.revoked', 'member.role_changed', 'auth.login_failed', 'tenant.updated'])[1 + g % 5],
                  'session:' || (g % 10000), CASE WHEN g % 50 = 0 THEN 'denied' ELSE 'success' END,
                  'req-' || g, jsonb_build_object('n', g), repeat('ab', 32), sha256(int8send(g))
           FROM generate_series(1, $2::bigint) g`,
          [tenant, EVENTS],
        );
      });
      const tls = await ensureCertificate(join(dir, 'tls'));
      const app = await buildServer({ db, tls: { key: tls.key, cert: tls.cert }, logger: false, keys: ephemeralKeyRing(), hasher: plainCompareHasher(), rateLimits: false });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const token = (await createFirstOperator(db, { name: 'Bench', tokenLabel: 'b', actor: { type: 'system', id: 'bench' } })).token.token;
      const client = createServiceClient({
        serviceUrl: url,
        fingerprint: tls.fingerprint,
        timeoutMs: 60_000,
        credentials: { accessToken: async () => token, renew: (_refused, error) => Promise.reject(error) },
      });
      try {
        const incidents = createIncidentConsole({
          client,
          vault: createMemoryVault(),
          dir: join(dir, 'console'),
          owner: async () => ({ userId: '00000000-0000-4000-8000-000000000001', scope: tenant }),
          chooseExportPath: async () => null,
        });
        const t0 = performance.now();
        const status = await incidents.resync();
        const seconds = (performance.now() - t0) / 1000;
        await incidents.close();
        if (status.problem) throw new Error(`pull failed: ${status.problem.message}`);

        const b0 = performance.now();
        const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
        let cursor: string | undefined;
        let fetched = 0;
        for (;;) {
          const page = await client.call('auditPull', {
            params: { tenantId: tenant },
            query: { ...(cursor ? { cursor } : { from: since }), limit: AUDIT_PULL_MAX_LIMIT },
          });
          fetched += page.items.length;
          const last = page.items.at(-1);
          if (!last || page.nextCursor === null) break;
          cursor = String(last.seq);
        }
        const baseline = (performance.now() - b0) / 1000;
        if (fetched !== EVENTS) throw new Error(`baseline fetched ${fetched} events, expected ${EVENTS}`);
        return [
          {
            bench: 'sync.pull',
            n: EVENTS,
            value: round(seconds, 2),
            unit: 's',
            baseline: round(baseline, 2),
            ratio: round(seconds / baseline, 2),
            target_s: 10,
            events_per_s: Math.round(EVENTS / seconds),
          },
        ];
      } finally {
        await client.close();
        await app.close();
      }
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
