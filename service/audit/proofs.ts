import type { ConsistencyProof, InclusionProof } from '../../shared/audit/api';
import { toHex } from '../../shared/audit/event';
import { MerkleFrontier, nodeHash, rootOfLeafHashes } from '../../shared/audit/merkle';
import { scopeTenantId, type ScopedTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { currentTree, MIN_STORED_SUBTREE_LEVEL, nodeMerkleHasher, type Subtree } from './audit-log';

const hasher = nodeMerkleHasher();

const outOfRange = (message: string): ApiError => new ApiError(400, 'tree_size_out_of_range', message);

/**
 * The stored log lacks an event a proof needs (rows removed outside the service): the
 * proof cannot be computed. A 500, not a 409: nothing the client sent is at fault and no
 * retry or change of request resolves it; the stable code and `details.seq` let the
 * console report it as an integrity failure at that event.
 */
const inconsistent = (seq: number): ApiError =>
  new ApiError(500, 'audit_log_inconsistent', `The stored audit log is inconsistent: event ${seq} is missing, so no proof over it can be computed.`, undefined, undefined, {
    seq,
  });

/** Leaves [lo, hi), 0-based. */
type Range = readonly [lo: number, hi: number];

/** The largest power of two strictly less than n (n ≥ 2). */
const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** The subtrees whose roots make PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), nearest sibling first. */
const inclusionRanges = (index: number, size: number): Range[] => {
  const topDown: Range[] = [];
  let [lo, hi, m] = [0, size, index];
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      topDown.push([lo + k, hi]);
      hi = lo + k;
    } else {
      topDown.push([lo, lo + k]);
      lo += k;
      m -= k;
    }
  }
  return topDown.reverse();
};

/** The subtrees whose roots make PROOF(m, D[0:n]) (RFC 9162 §2.1.4.1), in proof order. */
const consistencyRanges = (m: number, n: number): Range[] => {
  if (m === 0 || m === n) return [];
  const topDown: Range[] = [];
  let [lo, hi, mm, complete] = [0, n, m, true];
  while (mm !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (mm <= k) {
      topDown.push([lo + k, hi]);
      hi = lo + k;
    } else {
      topDown.push([lo, lo + k]);
      lo += k;
      mm -= k;
      complete = false;
    }
  }
  if (!complete) topDown.push([lo, hi]);
  return topDown.reverse();
};

/**
 * A proof's ranges all start at a multiple of a power of two at least their length,
 * so each is its aligned complete subtrees, one per set bit of its length, largest first.
 */
const blocksOf = ([lo, hi]: Range): Subtree[] => {
  const blocks: Subtree[] = [];
  for (let at = lo; at < hi; ) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= hi) level++;
    blocks.push({ level, idx: at / 2 ** level, hash: new Uint8Array(0) });
    at += 2 ** level;
  }
  return blocks;
};

const key = (level: number, idx: number): string => `${level}:${idx}`;

/** The roots of every stored-size subtree inside the complete subtree `block`, from its leaf hashes. */
const subtreesFromLeaves = (block: Subtree, leaves: readonly Uint8Array[]): Subtree[] => {
  const out: Subtree[] = [];
  const chunk = 2 ** MIN_STORED_SUBTREE_LEVEL;
  let level = MIN_STORED_SUBTREE_LEVEL;
  let idx = (block.idx * 2 ** block.level) / chunk;
  let roots = Array.from({ length: leaves.length / chunk }, (_, i) => rootOfLeafHashes(leaves, i * chunk, (i + 1) * chunk, hasher));
  for (;;) {
    roots.forEach((hash, i) => out.push({ level, idx: idx + i, hash }));
    if (roots.length === 1) return out;
    roots = Array.from({ length: roots.length / 2 }, (_, i) => nodeHash(roots[2 * i]!, roots[2 * i + 1]!, hasher));
    level++;
    idx /= 2;
  }
};

/** Leaf hashes of the given ranges, by 0-based index: one index range scan per range. */
const readLeaves = async (tx: ScopedTx, ranges: readonly Range[]): Promise<Map<number, Uint8Array>> => {
  const leaves = new Map<number, Uint8Array>();
  if (ranges.length === 0) return leaves;
  const rows = await tx.query<{ seq: string | number; leaf_hash: Uint8Array }>(
    `SELECT e.seq, e.leaf_hash FROM unnest($2::bigint[], $3::bigint[]) AS r(lo, hi)
     JOIN audit_events e ON e.tenant_id = $1 AND e.seq > r.lo AND e.seq <= r.hi`,
    [scopeTenantId(tx), ranges.map(([lo]) => String(lo)), ranges.map(([, hi]) => String(hi))],
  );
  for (const r of rows) leaves.set(Number(r.seq) - 1, Uint8Array.from(r.leaf_hash));
  for (const [lo, hi] of ranges) {
    for (let i = lo; i < hi; i++) if (!leaves.has(i)) throw inconsistent(i + 1);
  }
  return leaves;
};

/**
 * The roots of the given subtrees: stored ones from audit_subtrees; smaller ones hashed
 * from their (fewer than 256) leaves. A stored-size subtree that is missing (a log
 * older than that table) is hashed from its leaves once and stored with every subtree in it.
 */
const subtreeRoots = async (tx: ScopedTx, blocks: readonly Subtree[]): Promise<Map<string, Uint8Array>> => {
  const roots = new Map<string, Uint8Array>();
  const stored = blocks.filter((b) => b.level >= MIN_STORED_SUBTREE_LEVEL);
  if (stored.length > 0) {
    const rows = await tx.query<{ level: number; idx: string | number; hash: Uint8Array }>(
      `SELECT s.level, s.idx, s.hash FROM unnest($2::smallint[], $3::bigint[]) AS w(level, idx)
       JOIN audit_subtrees s ON s.tenant_id = $1 AND s.level = w.level AND s.idx = w.idx`,
      [scopeTenantId(tx), stored.map((b) => b.level), stored.map((b) => String(b.idx))],
    );
    for (const r of rows) roots.set(key(r.level, Number(r.idx)), Uint8Array.from(r.hash));
  }
  const missing = stored.filter((b) => !roots.has(key(b.level, b.idx)));
  if (missing.length > 0) {
    const leaves = await readLeaves(
      tx,
      missing.map((b) => [b.idx * 2 ** b.level, (b.idx + 1) * 2 ** b.level]),
    );
    const filled = new Map<string, Subtree>();
    for (const b of missing) {
      const lo = b.idx * 2 ** b.level;
      const blockLeaves = Array.from({ length: 2 ** b.level }, (_, i) => leaves.get(lo + i)!);
      for (const s of subtreesFromLeaves(b, blockLeaves)) filled.set(key(s.level, s.idx), s);
    }
    const all = [...filled.values()];
    await tx.query(
      `INSERT INTO audit_subtrees (tenant_id, level, idx, hash)
       SELECT $1::uuid, ($2::smallint[])[k], ($3::bigint[])[k], substring($4::bytea FROM (k - 1) * 32 + 1 FOR 32)
       FROM generate_series(1, cardinality($2::smallint[])) AS k
       ON CONFLICT DO NOTHING`,
      [scopeTenantId(tx), all.map((s) => s.level), all.map((s) => String(s.idx)), Buffer.concat(all.map((s) => s.hash))],
    );
    for (const s of all) roots.set(key(s.level, s.idx), s.hash);
  }
  const small = blocks.filter((b) => b.level < MIN_STORED_SUBTREE_LEVEL);
  const leaves = await readLeaves(
    tx,
    small.map((b) => [b.idx * 2 ** b.level, (b.idx + 1) * 2 ** b.level]),
  );
  for (const b of small) {
    const lo = b.idx * 2 ** b.level;
    roots.set(key(b.level, b.idx), rootOfLeafHashes(Array.from({ length: 2 ** b.level }, (_, i) => leaves.get(lo + i)!), 0, 2 ** b.level, hasher));
  }
  return roots;
};

/** The roots of the proof's ranges: O(log n) reads of stored subtrees and fewer than 256 leaf hashes per range. */
const rangeRoots = async (tx: ScopedTx, ranges: readonly Range[]): Promise<string[]> => {
  const perRange = ranges.map(blocksOf);
  const unique = new Map<string, Subtree>();
  for (const b of perRange.flat()) unique.set(key(b.level, b.idx), b);
  const roots = await subtreeRoots(tx, [...unique.values()]);
  return perRange.map((blocks, i) => {
    const [lo, hi] = ranges[i]!;
    const hashes = blocks.map((b) => roots.get(key(b.level, b.idx))!);
    return toHex(MerkleFrontier.restore(hi - lo, hashes, hasher).root());
  });
};

const checkSize = async (tx: ScopedTx, treeSize: number): Promise<void> => {
  const { size } = await currentTree(tx);
  if (treeSize > size) throw outOfRange(`The log has ${size} events; there is no tree of size ${treeSize}.`);
};

export const proveInclusion = async (tx: ScopedTx, seq: number, treeSize: number): Promise<InclusionProof> => {
  if (seq > treeSize) throw outOfRange(`Event ${seq} is not in a tree of size ${treeSize}.`);
  await checkSize(tx, treeSize);
  return { seq, treeSize, path: await rangeRoots(tx, inclusionRanges(seq - 1, treeSize)) };
};

export const proveConsistency = async (tx: ScopedTx, from: number, to: number): Promise<ConsistencyProof> => {
  if (from > to) throw outOfRange(`The old size ${from} is larger than the new size ${to}.`);
  await checkSize(tx, to);
  return { from, to, path: await rangeRoots(tx, consistencyRanges(from, to)) };
};
