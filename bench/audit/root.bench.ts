import { hash } from 'node:crypto';
import { MerkleTree } from 'merkletreejs';
import { jsMerkleHasher, merkleHasherFromDigest, rootOfLeaves, type MerkleHasher } from '../../shared/audit/merkle';
import { rootOfLeavesParallel } from '../../electron/core/audit/merkle-workers';
import { median, round, type Bench, type BenchResult } from '../harness';

const N = Number(process.env.AUDIT_ROOT_N ?? 1_000_000);
const LEAF_BYTES = 200;
const RUNS = 3;

/**
 * N pseudo-random 200-byte leaves (the size of a canonical audit event without
 * its personal data), as views into one buffer so that building them is not timed.
 */
const makeLeaves = (n: number): Buffer[] => {
  const all = Buffer.allocUnsafe(n * LEAF_BYTES);
  let x = 0x9e3779b9;
  for (let i = 0; i < all.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    all.writeInt32LE(x | 0, i);
  }
  return Array.from({ length: n }, (_, i) => all.subarray(i * LEAF_BYTES, (i + 1) * LEAF_BYTES));
};

const nativeSha256 = (b: Uint8Array): Buffer => hash('sha256', b, 'buffer');

/** merkletreejs has no RFC 6962 option; its hash function tells leaves (200 bytes) from nodes (64) by length and adds the prefix, so it builds the same tree. */
const merkletreejsHash = (data: Buffer): Buffer => {
  const prefixed = Buffer.allocUnsafe(data.length + 1);
  prefixed[0] = data.length === 64 ? 0x01 : 0x00;
  data.copy(prefixed, 1);
  return nativeSha256(prefixed);
};

const time = (f: () => void): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

const timeAsync = async (f: () => Promise<void>): Promise<number> => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

const summary = (runs: number[]): { ms: number; runs: number[] } => ({ ms: median(runs), runs: runs.map((r) => round(r, 1)) });

/**
 * audit.root: Merkle root (RFC 9162) of 1,000,000 events in one process, leaf
 * hashing included. Baselines measured in the same run: SHA-256 of the same leaf
 * bytes in a loop (node:crypto, the floor for any tree over them) and merkletreejs
 * building a tree over the same leaves.
 */
export const auditRootBench: Bench = {
  name: 'audit.root',
  description: 'Merkle root of 1,000,000 200-byte events (leaf hashes included); baselines: SHA-256 loop over the leaves, merkletreejs',
  async run(): Promise<BenchResult[]> {
    const leaves = makeLeaves(N);
    const hashers: Array<[string, MerkleHasher]> = [
      ['node:crypto', merkleHasherFromDigest(nativeSha256)],
      ['js', jsMerkleHasher()],
    ];
    const roots = new Set<string>();
    const floorRun = (): void => {
      for (const leaf of leaves) nativeSha256(leaf);
    };
    const mtRun = (): void => {
      const tree = new MerkleTree(leaves, merkletreejsHash, { hashLeaves: true });
      roots.add(tree.getRoot().toString('hex'));
    };
    const contenders: Array<[string, () => Promise<void>]> = [
      // The core's builder (electron/core/audit/merkle-workers.ts): leaves copied once into shared memory, one worker per core.
      ['node:crypto workers', async () => void roots.add(Buffer.from(await rootOfLeavesParallel(leaves)).toString('hex'))],
      ...hashers.map(([name, hasher]): [string, () => Promise<void>] => [name, async () => void roots.add(Buffer.from(rootOfLeaves(leaves, hasher)).toString('hex'))]),
    ];

    // Interleaved rounds: on a shared machine the load changes over a run, and each
    // round sees the baselines and every contender under about the same load.
    const floorRuns: number[] = [];
    const mtRuns: number[] = [];
    const ourRuns = contenders.map((): number[] => []);
    for (let round = 0; round < RUNS; round++) {
      floorRuns.push(time(floorRun));
      mtRuns.push(time(mtRun));
      for (const [i, [, run]] of contenders.entries()) ourRuns[i]!.push(await timeAsync(run));
    }
    const floor = summary(floorRuns);
    const mt = summary(mtRuns);

    const results: BenchResult[] = [];
    for (const [i, [name]] of contenders.entries()) {
      const ours = summary(ourRuns[i]!);
      results.push({
        bench: 'audit.root',
        n: N,
        value: round(ours.ms, 1),
        unit: 'ms',
        baseline: round(floor.ms, 1),
        ratio: round(ours.ms / floor.ms),
        hasher: name,
        leafBytes: LEAF_BYTES,
        runs: ours.runs,
        baseline_runs: floor.runs,
        merkletreejs_ms: round(mt.ms, 1),
        merkletreejs_runs: mt.runs,
        vs_merkletreejs: round(ours.ms / mt.ms),
        target_ms: 2000,
      });
    }
    // Every implementation must have built the same tree, or the comparison means nothing.
    if (roots.size !== 1) throw new Error(`the implementations disagree on the root: ${[...roots].join(', ')}`);
    return results.map((r) => ({ ...r, root: [...roots][0] }));
  },
};
