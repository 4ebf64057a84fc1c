import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, pgliteDir, type Db } from '../../service';
import { appendAuditEvent, type AuditEvent } from '../../service/audit/audit-log';
import { createTestTenant } from '../../service/testing/identity-fixtures';
import { round, type Bench, type BenchResult } from '../harness';

const N = 2_000;
const WARMUP = 200;

const input = (i: number) => ({
  actor: { type: 'user', id: 'b7a3c1f0-5d1e-4c8a-9e3f-0a1b2c3d4e5f' } as const,
  action: 'session.revoked',
  target: `session:${i}`,
  requestId: `req-${i}`,
  details: { reason: 'revoked', count: i },
  personal: { ip: '198.51.100.7' },
});

/** The same row, written with one plain INSERT (event and its personal data), no tree: the floor. */
const plainInsert = (db: Db, tenant: Parameters<Db['tenant']>[0], e: AuditEvent, leaf: Buffer) =>
  db.tenant(tenant, (tx) =>
    tx.query(
      `WITH ev AS (
         INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)
       )
       INSERT INTO audit_personal (tenant_id, seq, salt, data) VALUES ($1, $2, $13, $14::jsonb)`,
      [
        tenant,
        e.seq,
        e.at,
        e.actor.type,
        e.actor.id,
        e.action,
        e.target,
        e.outcome,
        e.requestId,
        JSON.stringify(e.details),
        e.personalCommitment,
        leaf,
        e.personal?.salt,
        JSON.stringify(e.personal?.data),
      ],
    ),
  );

const runOn = async (db: Db): Promise<BenchResult> => {
  const treeTenant = await createTestTenant(db, `append-tree-${Date.now()}`);
  const plainTenant = await createTestTenant(db, `append-plain-${Date.now()}`);
  const events: AuditEvent[] = [];
  const leaf = Buffer.alloc(32, 7);
  for (let i = 0; i < WARMUP; i++) events.push(await db.tenant(treeTenant, (tx) => appendAuditEvent(tx, input(i))));
  for (let i = 0; i < WARMUP; i++) await plainInsert(db, plainTenant, events[i]!, leaf);

  // Alternate rounds so that neither side gets the warmer cache or the fuller table.
  let treeMs = 0;
  let plainMs = 0;
  const ROUNDS = 4;
  for (let r = 0; r < ROUNDS; r++) {
    const from = WARMUP + (r * N) / ROUNDS;
    const to = from + N / ROUNDS;
    let t0 = performance.now();
    for (let i = from; i < to; i++) events.push(await db.tenant(treeTenant, (tx) => appendAuditEvent(tx, input(i))));
    treeMs += performance.now() - t0;
    t0 = performance.now();
    for (let i = from; i < to; i++) await plainInsert(db, plainTenant, events[i]!, leaf);
    plainMs += performance.now() - t0;
  }
  const perSecond = N / (treeMs / 1000);
  const baseline = N / (plainMs / 1000);
  return {
    bench: 'audit.append',
    n: N,
    value: round(perSecond, 0),
    unit: 'events/s',
    baseline: round(baseline, 0),
    ratio: round(perSecond / baseline, 2),
    target_ratio: 0.7,
    storage: db.engine,
  };
};

/** Appends through the service's write path (sequence, commitment, leaf hash, frontier) vs plain INSERTs of the same rows. */
export const auditAppendBench: Bench = {
  name: 'audit.append',
  description:
    'Audit events/s appended through appendAuditEvent (gap-free seq, personal-data commitment, leaf hash, Merkle frontier), one transaction each, on PGlite and on BENCH_DATABASE_URL when set; baseline: plain INSERTs of the same rows in the same database',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'attest-bench-audit-'));
    const pglite = await openDatabase({ kind: 'pglite', dir: pgliteDir(dir) });
    try {
      results.push(await runOn(pglite));
    } finally {
      await pglite.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const url = process.env.BENCH_DATABASE_URL;
    if (url) {
      const pg = await openDatabase({ kind: 'postgres', url });
      try {
        results.push(await runOn(pg));
      } finally {
        await pg.close();
      }
    }
    return results;
  },
};
