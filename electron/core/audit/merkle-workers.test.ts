import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyRoot, leafHash, rootOfLeafHashes, rootOfLeaves } from '../../../shared/audit/merkle';
import { allocateLeafHashes, rootOfLeafHashesParallel, rootOfLeavesParallel } from './merkle-workers';

/** Leaves of varying length (0 to 299 bytes) so that the byte offsets matter. */
const makeLeaves = (n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => {
    const seed = createHash('sha256').update(`leaf ${i}`).digest();
    const out = new Uint8Array((i * 7919) % 300);
    for (let j = 0; j < out.length; j++) out[j] = seed[j % 32]! ^ j;
    return out;
  });

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('Merkle roots on worker threads', () => {
  // 2^15 is where workers start; sizes just around powers of two exercise the split points and the carried-up last node.
  const sizes = [32_768, 32_769, 65_535, 65_536, 70_001];
  const all = makeLeaves(Math.max(...sizes));

  it.each(sizes)('gives the RFC 9162 root of %i leaves from their bytes, as the reference does', async (n) => {
    const leaves = all.slice(0, n);
    const expected = hex(rootOfLeaves(leaves));
    expect(hex(await rootOfLeavesParallel(leaves, { threads: 2 }))).toBe(expected);
    expect(hex(await rootOfLeavesParallel(leaves, { threads: 3 }))).toBe(expected);
  });

  it.each(sizes)('gives the RFC 9162 root of %i leaf hashes, shared or not', async (n) => {
    const hashes = all.slice(0, n).map((l) => leafHash(l));
    const expected = hex(rootOfLeafHashes(hashes));
    const shared = allocateLeafHashes(n);
    hashes.forEach((h, i) => shared.set(h, i * 32));
    expect(hex(await rootOfLeafHashesParallel(shared, n, { threads: 2 }))).toBe(expected);
    expect(hex(await rootOfLeafHashesParallel(Uint8Array.from(shared), n, { threads: 4 }))).toBe(expected);
  });

  it('computes small trees in this thread, with the same roots', async () => {
    const leaves = all.slice(0, 1001);
    expect(hex(await rootOfLeavesParallel(leaves))).toBe(hex(rootOfLeaves(leaves)));
    expect(hex(await rootOfLeavesParallel([]))).toBe(hex(emptyRoot()));
    expect(hex(await rootOfLeafHashesParallel(new Uint8Array(0), 0))).toBe(hex(emptyRoot()));
  });

  it('detects a changed leaf anywhere in a large tree', async () => {
    const leaves = all.slice(0, 65_536);
    const before = hex(await rootOfLeavesParallel(leaves, { threads: 2 }));
    const changed = leaves.slice();
    changed[40_000] = Uint8Array.from(changed[40_000]!, (b, j) => (j === 0 ? b ^ 1 : b));
    expect(hex(await rootOfLeavesParallel(changed, { threads: 2 }))).not.toBe(before);
  });

  it('rejects a size the buffer cannot hold', async () => {
    await expect(rootOfLeafHashesParallel(new Uint8Array(64), 3)).rejects.toThrow(RangeError);
  });
});
