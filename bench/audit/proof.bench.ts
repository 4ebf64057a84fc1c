import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../shared/audit/event';
import { consistencyProof, inclusionProof, MerkleFrontier, nodeHash, rootOfLeafHashes } from '../../shared/audit/merkle';
import { openDatabase, pgliteDir, type Db } from '../../service';
import { nodeMerkleHasher } from '../../service/audit/audit-log';
import { proveConsistency, proveInclusion } from '../../service/audit/proofs';
import type { ScopedTx } from '../../service/db/db';
import { createTestTenant } from '../../service/testing/identity-fixtures';
import { percentile, round, type Bench, type BenchResult } from '../harness';

const EVENTS = Number(process.env.AUDIT_PROOF_N ?? 1_000_000);
const N = 200;
const BASELINE_N = 5;
const hasher = nodeMerkleHasher();

/** Before audit_subtrees: every leaf hash up to the tree size, then the proof over them (O(n) reads and hashes). */
const allLeaves = async (tx: ScopedTx, tenant: string, size: number): Promise<Uint8Array[]> =>
  (await tx.query<{ leaf_hash: Uint8Array }>('SELECT leaf_hash FROM audit_events WHERE tenant_id = $1 AND seq <= $2 ORDER BY seq', [tenant, size])).map(
    (r) => Uint8Array.from(r.leaf_hash),
  );

/**
 * A million events and their tree state, written in bulk by the owning role: the
 * state row's frontier and the audit_subtrees rows the appends would have written.
 */
const fill = async (db: Db, tenant: Parameters<Db['tenant']>[0]): Promise<void> => {
  const owner = <T extends Record<string, unknown>>(sql: string, params: unknown[]) =>
    db.tenant(tenant, async (tx) => {
      await tx.query('RESET ROLE');
      return tx.query<T>(sql, params);
    });
  const CHUNK = 100_000;
  for (let from = 1; from <= EVENTS; from += CHUNK) {
    await owner(
      `INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
       SELECT $1::uuid, g, timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second', 'user', 'user-' || (g % 500), 'auth.login',
              'session:' || g, 'success', 'req-' || g, '{}'::jsonb, repeat('ab', 32), sha256(int8send(g))
       FROM generate_series($2::bigint, $3::bigint) g`,
      [tenant, from, Math.min(EVENTS, from + CHUNK - 1)],
    );
  }
  const leaves = (await owner<{ leaf_hash: Uint8Array }>('SELECT leaf_hash FROM audit_events WHERE tenant_id = $1 ORDER BY seq', [tenant])).map((r) =>
    Uint8Array.from(r.leaf_hash),
  );
  const frontier = new MerkleFrontier(hasher);
  for (const leaf of leaves) frontier.append(leaf);
  await owner('INSERT INTO audit_sequences (tenant_id, next_seq, frontier) VALUES ($1, $2, $3)', [tenant, EVENTS + 1, Buffer.concat(frontier.hashes())]);
  const rows: Array<[number, number, Uint8Array]> = [];
  let roots = Array.from({ length: Math.floor(EVENTS / 256) }, (_, i) => rootOfLeafHashes(leaves, i * 256, (i + 1) * 256, hasher));
  for (let level = 8; roots.length > 0; level++) {
    roots.forEach((h, i) => rows.push([level, i, h]));
    roots = Array.from({ length: Math.floor(roots.length / 2) }, (_, i) => nodeHash(roots[2 * i]!, roots[2 * i + 1]!, hasher));
  }
  await owner(
    `INSERT INTO audit_subtrees (tenant_id, level, idx, hash)
     SELECT $1::uuid, l, i, decode(h, 'hex') FROM unnest($2::smallint[], $3::bigint[], $4::text[]) AS t(l, i, h)`,
    [tenant, rows.map((r) => r[0]), rows.map((r) => String(r[1])), rows.map((r) => toHex(r[2]))],
  );
  await owner('ANALYZE audit_events', []);
  await owner('ANALYZE audit_subtrees', []);
};

/** Deterministic spread of sizes and positions: a verifier asks about any event, in trees of any size. */
const sample = (i: number): { seq: number; size: number; from: number } => {
  const x = (i * 2654435761) % 2 ** 32;
  const size = EVENTS - (x % 1000);
  const seq = 1 + ((x * 40503) % size);
  const from = 1 + ((x * 9973) % (size - 1));
  return { seq, size, from };
};

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50), 2), p99: round(percentile(sorted, 99), 2) };
};

/** Inclusion and consistency proofs at 1,000,000 events on PGlite, from the stored subtrees vs from every leaf. */
export const auditProofBench: Bench = {
  name: 'audit.proof',
  description:
    'p50/p99 of inclusion and consistency proofs at 1,000,000 events on PGlite (proofs.ts: stored subtree roots, O(log n) reads); baseline, same run and data: every leaf hash up to the tree size read and hashed (the code before audit_subtrees)',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'attest-bench-audit-proof-'));
    const db = await openDatabase({ kind: 'pglite', dir: pgliteDir(dir) });
    try {
      const tenant = await createTestTenant(db, 'Proofs');
      await fill(db, tenant);
      const kinds = {
        inclusion: {
          ours: (i: number) => db.tenant(tenant, (tx) => proveInclusion(tx, sample(i).seq, sample(i).size)).then((p) => p.path),
          baseline: (i: number) =>
            db.tenant(tenant, async (tx) => inclusionProof(await allLeaves(tx, tenant, sample(i).size), sample(i).seq - 1, sample(i).size, hasher).map(toHex)),
        },
        consistency: {
          ours: (i: number) => db.tenant(tenant, (tx) => proveConsistency(tx, sample(i).from, sample(i).size)).then((p) => p.path),
          baseline: (i: number) =>
            db.tenant(tenant, async (tx) => consistencyProof(await allLeaves(tx, tenant, sample(i).size), sample(i).from, sample(i).size, hasher).map(toHex)),
        },
      };
      const results: BenchResult[] = [];
      for (const [kind, f] of Object.entries(kinds)) {
        const ours: number[] = [];
        const base: number[] = [];
        for (let i = 0; i < N + 10; i++) {
          const t0 = performance.now();
          const path = await f.ours(i);
          if (i >= 10) ours.push(performance.now() - t0);
          // Interleaved with ours, fewer (each reads the whole log), and checked: both must give the same proof.
          if (i % Math.floor(N / BASELINE_N) === 0 && base.length < BASELINE_N) {
            const t1 = performance.now();
            const expected = await f.baseline(i);
            base.push(performance.now() - t1);
            if (JSON.stringify(expected) !== JSON.stringify(path)) throw new Error(`${kind} proof ${i} differs from the proof over every leaf`);
          }
        }
        const o = stats(ours);
        const b = stats(base);
        results.push({
          bench: 'audit.proof',
          n: EVENTS,
          value: o.p50,
          unit: 'ms (p50)',
          baseline: b.p50,
          ratio: round(o.p50 / b.p50, 4),
          proof: kind,
          p99_ms: o.p99,
          baseline_p99_ms: b.p99,
          samples: ours.length,
          baseline_samples: base.length,
          storage: 'pglite',
        });
      }
      return results;
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
