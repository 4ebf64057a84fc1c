import Database from 'better-sqlite3';
import type { AuditEvent } from '../../shared/audit/event';
import { createReplica } from '../../electron/core/offline/replica-database';
import { percentile, round, timeSync, type Bench, type BenchResult } from '../harness';
import { BENCH_START, benchIncident } from './bench-incidents';

const EVENTS = Number(process.env.REPLICA_QUERY_EVENTS ?? 1_000_000);
const INCIDENTS = 500;
const N = 200;
const TENANT = '00000000-0000-0000-0000-000000000000';
const ACTIONS = ['auth.login', 'session.revoked', 'member.role_changed', 'auth.login_failed', 'incident.note_added'] as const;

const event = (seq: number): AuditEvent => ({
  tenantId: TENANT,
  seq,
  at: new Date(BENCH_START + seq * 1000).toISOString(),
  actor: { type: 'user', id: `user-${seq % 500}` },
  action: ACTIONS[seq % ACTIONS.length]!,
  target: `session:${seq % 10_000}`,
  outcome: seq % 50 === 0 ? 'denied' : seq % 20 === 0 ? 'failure' : 'success',
  requestId: `req-${seq}`,
  details: { n: seq },
  personalCommitment: 'ab'.repeat(32),
  personal: null,
});

/**
 * replica.query: reads of the console's sql.js replica holding a million audit
 * events (as sync stores them: validated, in the same table and indexes) and 500
 * incidents. Value: p99 of the incident list and of filtered audit pages (action,
 * outcome + time range, time range) through the replica's own methods (SQL, JSON
 * and schema checks of every row). Baseline: the same SQL on the same database
 * (exported, reopened) in better-sqlite3, native SQLite, rows JSON-parsed only.
 * Also reported: the same SQL through sql.js without the replica's checks, and
 * the unfiltered newest page.
 */
export const replicaQueryBench: Bench = {
  name: 'replica.query',
  description: 'p99 of the incident list and filtered audit pages on a sql.js replica of 1,000,000 audit events; baseline: the same SQL in better-sqlite3 (native SQLite)',
  async run(): Promise<BenchResult[]> {
    const replica = await createReplica();
    try {
      const t0 = performance.now();
      for (let from = 1; from <= EVENTS; from += 10_000) {
        replica.addAuditEvents(Array.from({ length: Math.min(10_000, EVENTS - from + 1) }, (_, k) => event(from + k)));
      }
      for (let i = 1; i <= INCIDENTS; i++) replica.upsertIncident(benchIncident(i));
      const fillSeconds = (performance.now() - t0) / 1000;
      const day = (d: number) => new Date(BENCH_START + d * 86_400_000).toISOString();
      const queries: Record<string, () => unknown> = {
        'incident list': () => replica.incidents(),
        'audit action': () => replica.auditEvents({ tenantId: TENANT, action: 'auth.login_failed', limit: 100 }),
        'audit outcome + range': () => replica.auditEvents({ tenantId: TENANT, outcome: 'denied', from: day(3), to: day(4), limit: 100 }),
        'audit range': () => replica.auditEvents({ tenantId: TENANT, from: day(5), to: day(6), limit: 100 }),
      };
      const time = (query: () => unknown): number[] => timeSync(query, N, 10);
      const all: number[] = [];
      const perQuery: Record<string, number> = {};
      for (const [name, query] of Object.entries(queries)) {
        const ms = time(query);
        perQuery[name] = round(percentile(ms, 99), 2);
        all.push(...ms);
      }
      all.sort((a, b) => a - b);
      const unfiltered = time(() => replica.auditEvents({ tenantId: TENANT, limit: 100 }));
      const p99 = percentile(all, 99);

      // The SQL the replica runs for each query above (electron/core/offline/replica-database.ts).
      const statements: Record<string, [string, (string | number)[]]> = {
        'incident list': ['SELECT data FROM incidents ORDER BY detected_at DESC, id', []],
        'audit action': ['SELECT data FROM audit_events WHERE tenant_id = ? AND action = ? ORDER BY seq DESC LIMIT ?', [TENANT, 'auth.login_failed', 100]],
        'audit outcome + range': [
          'SELECT data FROM audit_events WHERE tenant_id = ? AND outcome = ? AND at >= ? AND at < ? ORDER BY at DESC, seq DESC LIMIT ?',
          [TENANT, 'denied', day(3), day(4), 100],
        ],
        'audit range': ['SELECT data FROM audit_events WHERE tenant_id = ? AND at >= ? AND at < ? ORDER BY at DESC, seq DESC LIMIT ?', [TENANT, day(5), day(6), 100]],
      };
      const rawSqlJs: number[] = [];
      const sqlJsByQuery: Record<string, number> = {};
      for (const [name, [sql, params]] of Object.entries(statements)) {
        const ms = time(() => {
          const statement = replica.db.prepare(sql, params);
          while (statement.step()) JSON.parse(statement.getAsObject().data as string);
          statement.free();
        });
        sqlJsByQuery[name] = round(percentile(ms, 99), 2);
        rawSqlJs.push(...ms);
      }
      rawSqlJs.sort((a, b) => a - b);
      const native = new Database(Buffer.from(replica.db.export()));
      const nativeMs: number[] = [];
      const nativeByQuery: Record<string, number> = {};
      try {
        for (const [name, [sql, params]] of Object.entries(statements)) {
          const statement = native.prepare(sql);
          const ms = time(() => (statement.all(...params) as { data: string }[]).map((r) => JSON.parse(r.data) as unknown));
          nativeByQuery[name] = round(percentile(ms, 99), 2);
          nativeMs.push(...ms);
        }
      } finally {
        native.close();
      }
      nativeMs.sort((a, b) => a - b);
      const nativeP99 = percentile(nativeMs, 99);
      return [
        {
          bench: 'replica.query',
          n: all.length,
          value: round(p99, 2),
          unit: 'ms (p99)',
          baseline: round(nativeP99, 2),
          ratio: round(p99 / nativeP99, 2),
          baseline_is: 'better-sqlite3 (native SQLite), same SQL on the same database',
          events: EVENTS,
          incidents: INCIDENTS,
          target_p99_ms: 50,
          fill_seconds: round(fillSeconds, 1),
          p99_ms_by_query: perQuery,
          native_p99_ms_by_query: nativeByQuery,
          sqljs_same_sql_p99_ms: round(percentile(rawSqlJs, 99), 2),
          sqljs_same_sql_p99_ms_by_query: sqlJsByQuery,
          unfiltered_page_p99_ms: round(percentile(unfiltered, 99), 2),
        },
      ];
    } finally {
      replica.close();
    }
  },
};
