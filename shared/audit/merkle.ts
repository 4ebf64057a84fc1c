/**
 * RFC 9162 (Certificate Transparency 2.0, same tree as RFC 6962) Merkle trees:
 * roots, inclusion and consistency proofs, and an append-only frontier that
 * gives the new root after each append in O(log n).
 *
 * Isomorphic: the service builds the tree per tenant, the console core and the
 * renderer check proofs with the same code. Every function takes an optional
 * MerkleHasher; Node callers may pass a native one (see merkle-hasher.ts).
 *
 * Verification never throws: bad sizes, wrong hash lengths, proofs that are too
 * long or too short, or garbage give { ok: false, reason }.
 */
import { HASH_SIZE, jsMerkleHasher, type MerkleHasher } from './merkle-hasher';

export { HASH_SIZE, jsMerkleHasher, merkleHasherFromDigest, type MerkleHasher } from './merkle-hasher';

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: VerifyResult = { ok: true };
const fail = (reason: string): VerifyResult => ({ ok: false, reason });

/** Shared by calls that do not pass a hasher; safe because no hashing call yields mid-way. */
const defaultHasher = jsMerkleHasher();

/** SHA-256 of the empty string: the root of a tree with no leaves. */
const EMPTY_ROOT = Uint8Array.from([
  0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
  0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
]);

export const emptyRoot = (): Uint8Array => EMPTY_ROOT.slice();

/** SHA-256(0x00 ‖ data). */
export const leafHash = (data: Uint8Array, hasher: MerkleHasher = defaultHasher): Uint8Array => {
  const out = new Uint8Array(HASH_SIZE);
  hasher.leafInto(data, out, 0);
  return out;
};

/** SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array, hasher: MerkleHasher = defaultHasher): Uint8Array => {
  const out = new Uint8Array(HASH_SIZE);
  hasher.nodeInto(left, 0, right, 0, out, 0);
  return out;
};

export const hashesEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;
const isSize = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Tree sizes go up to 2^53, beyond 32-bit shifts: halve and test bits arithmetically. */
const half = (n: number): number => Math.floor(n / 2);
const odd = (n: number): boolean => n % 2 === 1;
const MAX_DEPTH = 64;
const isPowerOfTwo = (n: number): boolean => {
  if (n < 1) return false;
  let x = n;
  while (!odd(x)) x = half(x);
  return x === 1;
};

/**
 * The compact range [0, size) of an append-only tree: the roots of its perfect
 * subtrees, one per set bit of `size`, largest (leftmost) first. Appending a leaf
 * and computing the root are both O(log n) hashes, with no allocation but the root.
 */
export class MerkleFrontier {
  /** Perfect-subtree roots packed 32 bytes apiece, leftmost first. */
  private readonly stack = new Uint8Array(MAX_DEPTH * HASH_SIZE);
  private depth = 0;
  private count = 0;

  constructor(private readonly hasher: MerkleHasher = defaultHasher) {}

  /**
   * Rebuilds a frontier from stored state (`size` and `hashes()` of an earlier one).
   * Throws when the hash count does not match the size: that is corrupt storage.
   */
  static restore(size: number, hashes: readonly Uint8Array[], hasher: MerkleHasher = defaultHasher): MerkleFrontier {
    if (!isSize(size)) throw new RangeError(`not a tree size: ${String(size)}`);
    let bits = 0;
    for (let s = size; s > 0; s = half(s)) if (odd(s)) bits++;
    if (hashes.length !== bits) throw new RangeError(`a tree of ${size} leaves has ${bits} frontier hashes, not ${hashes.length}`);
    const f = new MerkleFrontier(hasher);
    hashes.forEach((h, i) => {
      if (!isHash(h)) throw new RangeError(`frontier hash ${i} is not ${HASH_SIZE} bytes`);
      f.stack.set(h, i * HASH_SIZE);
    });
    f.depth = bits;
    f.count = size;
    return f;
  }

  get size(): number {
    return this.count;
  }

  /** Appends a leaf given its bytes (hashes it as a leaf). */
  appendLeaf(data: Uint8Array): void {
    this.checkRoom();
    this.hasher.leafInto(data, this.stack, this.depth * HASH_SIZE);
    this.merge();
  }

  /** Appends a leaf given its leaf hash. */
  append(leafHashValue: Uint8Array): void {
    if (!isHash(leafHashValue)) throw new RangeError(`a leaf hash is ${HASH_SIZE} bytes`);
    this.checkRoom();
    this.stack.set(leafHashValue, this.depth * HASH_SIZE);
    this.merge();
  }

  private checkRoom(): void {
    if (this.count >= Number.MAX_SAFE_INTEGER) throw new RangeError('tree is full');
  }

  /** The new leaf sits on top of the stack: each trailing 1 bit of the old size is a perfect subtree it completes. */
  private merge(): void {
    const s = this.stack;
    this.depth++;
    for (let n = this.count; odd(n); n = half(n)) {
      const right = (this.depth - 1) * HASH_SIZE;
      const left = right - HASH_SIZE;
      this.hasher.nodeInto(s, left, s, right, s, left);
      this.depth--;
    }
    this.count++;
  }

  /** The tree head: MTH of every leaf appended so far. */
  root(): Uint8Array {
    if (this.depth === 0) return emptyRoot();
    const out = this.stack.slice((this.depth - 1) * HASH_SIZE, this.depth * HASH_SIZE);
    for (let i = this.depth - 2; i >= 0; i--) this.hasher.nodeInto(this.stack, i * HASH_SIZE, out, 0, out, 0);
    return out;
  }

  /** The perfect-subtree roots, leftmost first (what `restore` takes). */
  hashes(): Uint8Array[] {
    return Array.from({ length: this.depth }, (_, i) => this.stack.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  }
}

/** MTH over leaf bytes (each hashed as a leaf). */
export const rootOfLeaves = (leaves: Iterable<Uint8Array>, hasher: MerkleHasher = defaultHasher): Uint8Array => {
  const f = new MerkleFrontier(hasher);
  for (const leaf of leaves) f.appendLeaf(leaf);
  return f.root();
};

/** MTH over leaf hashes [start, end). */
export const rootOfLeafHashes = (
  leafHashes: readonly Uint8Array[],
  start = 0,
  end = leafHashes.length,
  hasher: MerkleHasher = defaultHasher,
): Uint8Array => {
  if (!isSize(start) || !isSize(end) || start > end || end > leafHashes.length) throw new RangeError(`bad range [${start}, ${end})`);
  const f = new MerkleFrontier(hasher);
  for (let i = start; i < end; i++) f.append(leafHashes[i]!);
  return f.root();
};

/** The largest power of two strictly less than n (n ≥ 2). */
const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/**
 * PATH(index, D[0:size]) of RFC 9162 §2.1.3.1: the audit path from the leaf up,
 * nearest sibling first. O(size) hashes.
 */
export const inclusionProof = (
  leafHashes: readonly Uint8Array[],
  index: number,
  size: number = leafHashes.length,
  hasher: MerkleHasher = defaultHasher,
): Uint8Array[] => {
  if (!isSize(size) || size > leafHashes.length) throw new RangeError(`tree size ${String(size)} is not within the ${leafHashes.length} leaves`);
  if (!isSize(index) || index >= size) throw new RangeError(`leaf index ${String(index)} is not below the tree size ${size}`);
  const topDown: Uint8Array[] = [];
  let lo = 0;
  let hi = size;
  let m = index;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      topDown.push(rootOfLeafHashes(leafHashes, lo + k, hi, hasher));
      hi = lo + k;
    } else {
      topDown.push(rootOfLeafHashes(leafHashes, lo, lo + k, hasher));
      lo += k;
      m -= k;
    }
  }
  return topDown.reverse();
};

/**
 * PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1: proves the tree of `m` leaves is a
 * prefix of the tree of `n` leaves. Empty when m is 0 or m equals n.
 */
export const consistencyProof = (
  leafHashes: readonly Uint8Array[],
  m: number,
  n: number = leafHashes.length,
  hasher: MerkleHasher = defaultHasher,
): Uint8Array[] => {
  if (!isSize(n) || n > leafHashes.length) throw new RangeError(`tree size ${String(n)} is not within the ${leafHashes.length} leaves`);
  if (!isSize(m) || m > n) throw new RangeError(`old size ${String(m)} is not within the new size ${n}`);
  if (m === 0 || m === n) return [];
  const topDown: Uint8Array[] = [];
  let lo = 0;
  let hi = n;
  let mm = m;
  let complete = true;
  // SUBPROOF(mm, D[lo:hi], complete)
  while (mm !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (mm <= k) {
      topDown.push(rootOfLeafHashes(leafHashes, lo + k, hi, hasher));
      hi = lo + k;
    } else {
      topDown.push(rootOfLeafHashes(leafHashes, lo, lo + k, hasher));
      lo += k;
      mm -= k;
      complete = false;
    }
  }
  if (!complete) topDown.push(rootOfLeafHashes(leafHashes, lo, hi, hasher));
  return topDown.reverse();
};

/** Number of hashes in PATH(index, size): the inner part below where the paths to index and size-1 split, plus the border. */
const inclusionProofLength = (index: number, size: number): number => {
  let inner = 0;
  for (let x = index, y = size - 1; x !== y; x = half(x), y = half(y)) inner++;
  // Border: one hash per set bit of index >> inner (left siblings on the tree's right edge).
  let border = 0;
  for (let x = Math.floor(index / 2 ** inner); x > 0; x = half(x)) if (odd(x)) border++;
  return inner + border;
};

/**
 * Verifies an inclusion proof (RFC 9162 §2.1.3.2): that the leaf with hash
 * `leafHashValue` is at `index` in the tree of `size` leaves whose root is `root`.
 */
export const verifyInclusion = (
  leafHashValue: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[] | null | undefined,
  root: Uint8Array,
  hasher: MerkleHasher = defaultHasher,
): VerifyResult => {
  try {
    if (!isSize(size) || !isSize(index)) return fail('the leaf index and tree size must be non-negative integers');
    if (index >= size) return fail(`leaf index ${index} is not below the tree size ${size}`);
    if (!isHash(leafHashValue)) return fail(`the leaf hash is not ${HASH_SIZE} bytes`);
    if (!isHash(root)) return fail(`the root is not ${HASH_SIZE} bytes`);
    const path = proof ?? [];
    if (!Array.isArray(path)) return fail('the proof is not a list of hashes');
    const want = inclusionProofLength(index, size);
    if (path.length !== want) return fail(`the proof has ${path.length} hashes; a leaf at ${index} of ${size} needs ${want}`);
    for (let i = 0; i < path.length; i++) if (!isHash(path[i])) return fail(`proof hash ${i} is not ${HASH_SIZE} bytes`);

    const r = leafHashValue.slice();
    let fn = index;
    let sn = size - 1;
    for (const p of path) {
      if (sn === 0) return fail('the proof is too long');
      if (odd(fn) || fn === sn) {
        hasher.nodeInto(p, 0, r, 0, r, 0);
        if (!odd(fn)) {
          while (!odd(fn) && fn !== 0) {
            fn = half(fn);
            sn = half(sn);
          }
        }
      } else {
        hasher.nodeInto(r, 0, p, 0, r, 0);
      }
      fn = half(fn);
      sn = half(sn);
    }
    if (sn !== 0) return fail('the proof is too short');
    return hashesEqual(r, root) ? OK : fail('the computed root does not match');
  } catch (e) {
    return fail(`malformed input: ${e instanceof Error ? e.message : String(e)}`);
  }
};

/**
 * Verifies a consistency proof (RFC 9162 §2.1.4.2): that the tree of `size1`
 * leaves with root `root1` is a prefix of the tree of `size2` leaves with root `root2`.
 */
export const verifyConsistency = (
  size1: number,
  size2: number,
  proof: readonly Uint8Array[] | null | undefined,
  root1: Uint8Array,
  root2: Uint8Array,
  hasher: MerkleHasher = defaultHasher,
): VerifyResult => {
  try {
    if (!isSize(size1) || !isSize(size2)) return fail('tree sizes must be non-negative integers');
    if (size1 > size2) return fail(`the old size ${size1} is larger than the new size ${size2}`);
    if (!isHash(root1) || !isHash(root2)) return fail(`roots are ${HASH_SIZE} bytes`);
    const path = proof ?? [];
    if (!Array.isArray(path)) return fail('the proof is not a list of hashes');
    if (size1 === size2) {
      if (path.length !== 0) return fail('equal sizes need an empty proof');
      return hashesEqual(root1, root2) ? OK : fail('equal sizes with different roots');
    }
    if (size1 === 0) {
      // Every tree extends the empty tree, and the empty tree has one root.
      if (path.length !== 0) return fail('a proof from the empty tree is empty');
      return hashesEqual(root1, EMPTY_ROOT) ? OK : fail('the old root is not the empty tree root');
    }
    if (path.length === 0) return fail('the proof is empty');
    for (let i = 0; i < path.length; i++) if (!isHash(path[i])) return fail(`proof hash ${i} is not ${HASH_SIZE} bytes`);

    // When size1 is a power of two its root is itself the first node of the proof.
    const want = consistencyProofLength(size1, size2);
    if (path.length !== want) return fail(`the proof has ${path.length} hashes; ${size1} → ${size2} needs ${want}`);
    const nodes = isPowerOfTwo(size1) ? [root1, ...path] : path;

    let fn = size1 - 1;
    let sn = size2 - 1;
    while (odd(fn)) {
      fn = half(fn);
      sn = half(sn);
    }
    const fr = nodes[0]!.slice();
    const sr = nodes[0]!.slice();
    for (let i = 1; i < nodes.length; i++) {
      const c = nodes[i]!;
      if (sn === 0) return fail('the proof is too long');
      if (odd(fn) || fn === sn) {
        hasher.nodeInto(c, 0, fr, 0, fr, 0);
        hasher.nodeInto(c, 0, sr, 0, sr, 0);
        if (!odd(fn)) {
          while (!odd(fn) && fn !== 0) {
            fn = half(fn);
            sn = half(sn);
          }
        }
      } else {
        hasher.nodeInto(sr, 0, c, 0, sr, 0);
      }
      fn = half(fn);
      sn = half(sn);
    }
    if (sn !== 0) return fail('the proof is too short');
    if (!hashesEqual(fr, root1)) return fail('the proof does not lead to the old root');
    if (!hashesEqual(sr, root2)) return fail('the proof does not lead to the new root');
    return OK;
  } catch (e) {
    return fail(`malformed input: ${e instanceof Error ? e.message : String(e)}`);
  }
};

/** Length of PROOF(size1, size2) for 0 < size1 < size2. */
const consistencyProofLength = (size1: number, size2: number): number => {
  // The inclusion path of leaf size1-1 in size2, minus the levels where size1-1 is a right child
  // of a complete subtree of the old tree (those hashes are inside root1), plus root1's own
  // subtree hash unless size1 is a power of two (then root1 itself is that subtree).
  let shift = 0;
  for (let x = size1; !odd(x); x = half(x)) shift++;
  return inclusionProofLength(size1 - 1, size2) - shift + (isPowerOfTwo(size1) ? 0 : 1);
};
