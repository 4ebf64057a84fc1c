import type { StorageEngine } from '../../service/db/engine';
import { PERMISSIONS } from '../../shared/identity/permissions';
import { evaluatePosture, type EvaluationTimings } from '../../service/posture/evaluate';
import type { PostureRuntime } from '../../service/posture/evaluator';
import { openTestDatabase } from '../../service/testing/databases';
import { createTestTenant } from '../../service/testing/identity-fixtures';
import { median, round, type Bench, type BenchResult } from '../harness';
import { seedAuditLog, seedPeople, verifyAndSign } from './posture-fixture';

const MEMBERS = Number(process.env.POSTURE_MEMBERS ?? 50_000);
const SESSIONS = Number(process.env.POSTURE_SESSIONS ?? 100_000);
const EVENTS = Number(process.env.POSTURE_EVENTS ?? 1_000_000);
const RUNS = 7;

/** What the service reads at runtime; argon2 parameters and TLS as a production service has them (the figures do not depend on them). */
const RUNTIME: PostureRuntime = {
  passwordHashSample: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
  permissions: PERMISSIONS,
  tls: { minVersion: 'TLSv1.2' },
  hstsMaxAgeSeconds: 31_536_000,
};

const runOn = async (kind: StorageEngine): Promise<BenchResult> => {
  const t = await openTestDatabase(kind);
  try {
    const now = new Date();
    const tenant = await createTestTenant(t.db, 'Posture bench');
    const empty = await createTestTenant(t.db, 'Empty tenant');
    const progress = (what: string) => process.stderr.write(`posture.evaluate ${kind}: ${what} (${new Date().toISOString()})\n`);
    const s0 = performance.now();
    await seedPeople(t.engine, tenant, now, { members: MEMBERS, sessions: SESSIONS });
    progress('members and sessions seeded');
    await seedAuditLog(t.engine, tenant, EVENTS, now);
    const seedSeconds = (performance.now() - s0) / 1000;
    progress('audit log seeded');
    const v0 = performance.now();
    const verified = await verifyAndSign(t.db, tenant, now);
    const verifySeconds = (performance.now() - v0) / 1000;
    progress('audit log verified and signed');
    // PGlite has no autovacuum: statistics after a bulk load are what pick the indexes (PostgreSQL would gather them in time too).
    await t.engine.query('ANALYZE');
    const at = new Date(now.getTime() + 60_000);
    const full: number[] = [];
    const base: number[] = [];
    const perControl = new Map<string, number[]>();
    let statuses: Record<string, string> = {};
    for (let i = 0; i < RUNS + 1; i++) {
      // Interleaved, so both see the same machine load; the first round warms caches and plans and is not counted.
      const timings: EvaluationTimings = new Map();
      let t0 = performance.now();
      const posture = await evaluatePosture(t.db, tenant, RUNTIME, at, timings);
      const ms = performance.now() - t0;
      t0 = performance.now();
      await evaluatePosture(t.db, empty, RUNTIME, at);
      const baseMs = performance.now() - t0;
      if (i === 0) continue;
      full.push(ms);
      base.push(baseMs);
      for (const [id, v] of timings) perControl.set(id, [...(perControl.get(id) ?? []), v]);
      statuses = Object.fromEntries(posture.controls.map((c) => [c.id, c.status]));
    }
    const medians = [...perControl].map(([id, v]) => [id, median(v)] as const).sort((a, b) => b[1] - a[1]);
    const [slowestId, slowestMs] = medians[0]!;
    const value = median(full);
    const baseline = median(base);
    return {
      bench: 'posture.evaluate',
      engine: kind,
      n: RUNS,
      value: round(value, 1),
      unit: 'ms (median full evaluation)',
      baseline: round(baseline, 1),
      ratio: round(value / baseline, 2),
      slowestControl: slowestId,
      slowestControlMs: round(slowestMs, 1),
      perControlMs: Object.fromEntries(medians.map(([id, v]) => [id, round(v, 1)])),
      runsMs: full.map((r) => round(r, 1)),
      members: MEMBERS,
      sessions: SESSIONS,
      auditEvents: verified,
      statuses,
      seedSeconds: round(seedSeconds, 1),
      verifySeconds: round(verifySeconds, 1),
    };
  } finally {
    await t.dispose();
  }
};

/**
 * posture.evaluate: every control of one tenant with 50,000 members, 100,000
 * sessions and a verified 1,000,000-event audit log, evaluated in-process
 * (evaluatePosture, the GET …/posture path without HTTP), on PGlite and, with
 * TEST_DATABASE_URL, on PostgreSQL. Reported beside the slowest control's
 * evidence time and a baseline measured in the same run: an empty tenant.
 */
export const postureEvaluateBench: Bench = {
  name: 'posture.evaluate',
  description: 'Full posture evaluation of a tenant with 50,000 members, 100,000 sessions and 1,000,000 audit events (median of 7), with the slowest control; baseline: an empty tenant',
  async run(): Promise<BenchResult[]> {
    // POSTURE_ENGINE=pglite|postgres runs one (two processes can then run side by side).
    const engines = (['pglite', ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : [])] as StorageEngine[]).filter(
      (e) => !process.env.POSTURE_ENGINE || e === process.env.POSTURE_ENGINE,
    );
    const out: BenchResult[] = [];
    for (const kind of engines) out.push(await runOn(kind));
    return out;
  },
};
