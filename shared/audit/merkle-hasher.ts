/**
 * The two hashes of an RFC 6962/9162 Merkle tree, written into caller-owned
 * buffers so that building a tree of a million leaves allocates nothing per node:
 *
 *   leaf hash = SHA-256(0x00 ‖ leaf bytes)
 *   node hash = SHA-256(0x01 ‖ left ‖ right)
 *
 * Two implementations: `jsMerkleHasher` (@noble/hashes, runs anywhere, the
 * default) and `merkleHasherFromDigest`, which adapts any one-shot SHA-256, e.g.
 * node:crypto's `(b) => hash('sha256', b, 'buffer')` in Node callers.
 */
import { sha256 } from '@noble/hashes/sha2.js';

export const HASH_SIZE = 32;

export interface MerkleHasher {
  /** Writes SHA-256(0x00 ‖ data) to out[outOffset, outOffset + 32). */
  leafInto(data: Uint8Array, out: Uint8Array, outOffset: number): void;
  /**
   * Writes SHA-256(0x01 ‖ l[lOffset, +32) ‖ r[rOffset, +32)) to out[outOffset, +32).
   * `out` may be `l` or `r` (the inputs are read before the output is written).
   */
  nodeInto(l: Uint8Array, lOffset: number, r: Uint8Array, rOffset: number, out: Uint8Array, outOffset: number): void;
}

/**
 * Adapts a one-shot SHA-256 (`digest(bytes)` → 32 bytes). The 65-byte node input
 * is reused; only the digest's own result is allocated per hash.
 */
export const merkleHasherFromDigest = (digest: (input: Uint8Array) => Uint8Array): MerkleHasher => {
  const node = new Uint8Array(65);
  node[0] = 0x01;
  let leaf = new Uint8Array(256);
  // Leaves of one log tend to have similar sizes: keep the last view instead of making one per call.
  let leafView = leaf.subarray(0, 1);
  const copyOut = (d: Uint8Array, out: Uint8Array, outOffset: number): void => {
    if (d.length !== HASH_SIZE) throw new Error(`digest returned ${d.length} bytes, not ${HASH_SIZE}`);
    out.set(d, outOffset);
  };
  return {
    leafInto(data, out, outOffset) {
      if (leaf.length < data.length + 1) leaf = new Uint8Array(Math.max(data.length + 1, leaf.length * 2));
      if (leafView.buffer !== leaf.buffer || leafView.length !== data.length + 1) leafView = leaf.subarray(0, data.length + 1);
      leaf[0] = 0x00;
      leaf.set(data, 1);
      copyOut(digest(leafView), out, outOffset);
    },
    nodeInto(l, lOffset, r, rOffset, out, outOffset) {
      for (let i = 0; i < HASH_SIZE; i++) node[1 + i] = l[lOffset + i]!;
      for (let i = 0; i < HASH_SIZE; i++) node[33 + i] = r[rOffset + i]!;
      copyOut(digest(node), out, outOffset);
    },
  };
};

/** The default, for any runtime: @noble/hashes' audited pure-JS SHA-256. Node callers may pass node:crypto instead. */
export const jsMerkleHasher = (): MerkleHasher => merkleHasherFromDigest(sha256);
