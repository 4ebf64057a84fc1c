import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  MerkleFrontier,
  consistencyProof,
  emptyRoot,
  inclusionProof,
  jsMerkleHasher,
  leafHash,
  merkleHasherFromDigest,
  nodeHash,
  rootOfLeafHashes,
  rootOfLeaves,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const concat = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

/** The leaves of the RFC 6962 reference tree used by Certificate Transparency's and transparency-dev's tests. */
const REFERENCE_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);
const REFERENCE_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
const prng = (seed: number) => {
  let x = seed | 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  return { int: (n: number): number => next() % n, bytes: (n: number): Uint8Array => Uint8Array.from({ length: n }, () => next() & 0xff) };
};

const leavesOf = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`event ${i}`)));

describe('hashers', () => {
  it('the default (noble) and node:crypto hashers agree for every length across the block boundaries', () => {
    const h = jsMerkleHasher();
    const r = prng(1);
    for (let len = 0; len <= 300; len++) {
      const data = r.bytes(len);
      const out = new Uint8Array(40);
      h.leafInto(data, out, 5);
      expect(hex(out.subarray(5, 37))).toBe(hex(sha256(concat([0], [...data]))));
    }
    const big = r.bytes(100_000);
    expect(hex(leafHash(big))).toBe(createHash('sha256').update(Uint8Array.of(0)).update(big).digest('hex'));
  });

  it('node hashing reads both children before writing, so the output may alias an input', () => {
    const h = jsMerkleHasher();
    const a = prng(2).bytes(32);
    const b = prng(3).bytes(32);
    const want = hex(sha256(concat([1], [...a], [...b])));
    const buf = concat([...a], [...b]);
    h.nodeInto(buf, 0, buf, 32, buf, 0);
    expect(hex(buf.subarray(0, 32))).toBe(want);
    const buf2 = concat([...a], [...b]);
    h.nodeInto(buf2, 0, buf2, 32, buf2, 32);
    expect(hex(buf2.subarray(32))).toBe(want);
  });

  it('an injected native digest gives the same trees', () => {
    const native = merkleHasherFromDigest((b) => createHash('sha256').update(b).digest());
    const leaves = Array.from({ length: 37 }, (_, i) => prng(i + 10).bytes(i * 7));
    expect(hex(rootOfLeaves(leaves, native))).toBe(hex(rootOfLeaves(leaves)));
    const hashes = leaves.map((l) => leafHash(l, native));
    expect(verifyInclusion(hashes[20]!, 20, 37, inclusionProof(hashes, 20, 37, native), rootOfLeaves(leaves), native)).toEqual({ ok: true });
  });
});

describe('tree hashing', () => {
  it('hand-checked small trees follow RFC 9162 §2.1.1 (split at the largest power of two below n)', () => {
    const l = [0, 1, 2, 3, 4].map((i) => leafHash(Uint8Array.of(i)));
    const [l0, l1, l2, l3, l4] = l as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    expect(hex(leafHash(Uint8Array.of(7)))).toBe(hex(sha256(Uint8Array.of(0, 7))));
    expect(hex(nodeHash(l0, l1))).toBe(hex(sha256(concat([1], [...l0], [...l1]))));
    expect(hex(emptyRoot())).toBe(hex(sha256(new Uint8Array())));
    expect(hex(rootOfLeafHashes([]))).toBe(hex(sha256(new Uint8Array())));
    expect(hex(rootOfLeafHashes([l0]))).toBe(hex(l0));
    expect(hex(rootOfLeafHashes([l0, l1]))).toBe(hex(nodeHash(l0, l1)));
    expect(hex(rootOfLeafHashes([l0, l1, l2]))).toBe(hex(nodeHash(nodeHash(l0, l1), l2)));
    expect(hex(rootOfLeafHashes([l0, l1, l2, l3]))).toBe(hex(nodeHash(nodeHash(l0, l1), nodeHash(l2, l3))));
    expect(hex(rootOfLeafHashes(l))).toBe(hex(nodeHash(nodeHash(nodeHash(l0, l1), nodeHash(l2, l3)), l4)));
  });

  it('reproduces the reference roots of the RFC 6962 test tree', () => {
    for (let n = 1; n <= REFERENCE_LEAVES.length; n++) {
      expect(hex(rootOfLeaves(REFERENCE_LEAVES.slice(0, n)))).toBe(REFERENCE_ROOTS[n - 1]);
    }
  });

  it('the frontier gives the same root after every append, and restores from its stored hashes', () => {
    const hashes = leavesOf(130);
    const f = new MerkleFrontier();
    expect(hex(f.root())).toBe(hex(emptyRoot()));
    for (let n = 1; n <= hashes.length; n++) {
      f.append(hashes[n - 1]!);
      expect(f.size).toBe(n);
      const root = hex(f.root());
      expect(root).toBe(hex(rootOfLeafHashes(hashes, 0, n)));
      expect(f.hashes()).toHaveLength(n.toString(2).replace(/0/g, '').length);
      const restored = MerkleFrontier.restore(n, f.hashes());
      expect(hex(restored.root())).toBe(root);
    }
    const again = MerkleFrontier.restore(100, frontierAt(hashes, 100).hashes());
    for (let i = 100; i < 130; i++) again.append(hashes[i]!);
    expect(hex(again.root())).toBe(hex(f.root()));
    expect(() => MerkleFrontier.restore(5, [hashes[0]!])).toThrow(RangeError);
    expect(() => MerkleFrontier.restore(1, [new Uint8Array(31)])).toThrow(RangeError);
    expect(() => f.append(new Uint8Array(3))).toThrow(RangeError);
  });
});

const frontierAt = (hashes: readonly Uint8Array[], n: number): MerkleFrontier => {
  const f = new MerkleFrontier();
  for (let i = 0; i < n; i++) f.append(hashes[i]!);
  return f;
};

const flipBit = (b: Uint8Array, bit: number): Uint8Array => {
  const c = b.slice();
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
};

describe('inclusion proofs', () => {
  const hashes = leavesOf(64);
  const roots = Array.from({ length: 65 }, (_, n) => rootOfLeafHashes(hashes, 0, n));

  it('verify for every (index, size) up to 64', () => {
    for (let size = 1; size <= 64; size++) {
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(hashes, index, size);
        const result = verifyInclusion(hashes[index]!, index, size, proof, roots[size]!);
        if (!result.ok) throw new Error(`index ${index} size ${size}: ${result.reason}`);
      }
    }
  });

  it('fail when anything is tampered with', () => {
    const r = prng(42);
    for (let size = 1; size <= 64; size++) {
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(hashes, index, size);
        const root = roots[size]!;
        const leaf = hashes[index]!;
        expect(verifyInclusion(flipBit(leaf, r.int(256)), index, size, proof, root).ok).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flipBit(root, r.int(256))).ok).toBe(false);
        if (size > 1) expect(verifyInclusion(leaf, (index + 1 + r.int(size - 1)) % size, size, proof, root).ok).toBe(false);
        // A size is only bound by the signed tree head: the same path may fit another size,
        // but never that size's own root.
        if (size < 64) expect(verifyInclusion(leaf, index, size + 1, proof, roots[size + 1]!).ok).toBe(false);
        expect(verifyInclusion(leaf, index, size, [...proof, hashes[0]!], root).ok).toBe(false);
        if (proof.length > 0) {
          const k = r.int(proof.length);
          const bad = proof.map((p, i) => (i === k ? flipBit(p, r.int(256)) : p));
          expect(verifyInclusion(leaf, index, size, bad, root).ok).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(1), root).ok).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root).ok).toBe(false);
        }
      }
    }
  });

  it('reject garbage without throwing', () => {
    const proof = inclusionProof(hashes, 3, 10);
    const root = roots[10]!;
    const leaf = hashes[3]!;
    const garbage: Array<[unknown, unknown, unknown, unknown, unknown]> = [
      [leaf, 10, 10, proof, root],
      [leaf, 11, 10, proof, root],
      [leaf, -1, 10, proof, root],
      [leaf, 3.5, 10, proof, root],
      [leaf, Number.NaN, 10, proof, root],
      [leaf, 3, 2 ** 60, proof, root],
      [leaf, '3', 10, proof, root],
      [leaf, 3, 10, 'proof', root],
      [leaf, 3, 10, [null, ...proof.slice(1)], root],
      [leaf, 3, 10, [new Uint8Array(33), ...proof.slice(1)], root],
      [leaf, 3, 10, [new Uint8Array(0), ...proof], root],
      [leaf.subarray(1), 3, 10, proof, root],
      [leaf, 3, 10, proof, new Uint8Array(0)],
      [null, 3, 10, proof, root],
      [leaf, 0, 0, [], root],
    ];
    for (const [l, i, s, p, r] of garbage) {
      const result = verifyInclusion(l as Uint8Array, i as number, s as number, p as Uint8Array[], r as Uint8Array);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/\w/);
    }
    expect(verifyInclusion(leaf, 3, 10, proof, root)).toEqual({ ok: true });
  });
});

describe('consistency proofs', () => {
  const hashes = leavesOf(64);
  const roots = Array.from({ length: 65 }, (_, n) => rootOfLeafHashes(hashes, 0, n));

  it('verify for every (m, n) pair up to 64, including 0 and m = n', () => {
    for (let n = 0; n <= 64; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(hashes, m, n);
        const result = verifyConsistency(m, n, proof, roots[m]!, roots[n]!);
        if (!result.ok) throw new Error(`${m} → ${n}: ${result.reason}`);
      }
    }
  });

  it('fail when anything is tampered with', () => {
    const r = prng(7);
    for (let n = 2; n <= 64; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(hashes, m, n);
        const [r1, r2] = [roots[m]!, roots[n]!];
        expect(proof.length).toBeGreaterThan(0);
        const k = r.int(proof.length);
        expect(verifyConsistency(m, n, proof.map((p, i) => (i === k ? flipBit(p, r.int(256)) : p)), r1, r2).ok).toBe(false);
        expect(verifyConsistency(m, n, proof, flipBit(r1, r.int(256)), r2).ok).toBe(false);
        expect(verifyConsistency(m, n, proof, r1, flipBit(r2, r.int(256))).ok).toBe(false);
        expect(verifyConsistency(m, n, proof, r2, r1).ok).toBe(false);
        if (m + 1 < n) expect(verifyConsistency(m + 1, n, proof, roots[m + 1]!, r2).ok).toBe(false);
        if (n < 64) expect(verifyConsistency(m, n + 1, proof, r1, roots[n + 1]!).ok).toBe(false);
        expect(verifyConsistency(m, n, [...proof, r1], r1, r2).ok).toBe(false);
        expect(verifyConsistency(m, n, [r1, ...proof], r1, r2).ok).toBe(false);
        expect(verifyConsistency(m, n, proof.slice(0, -1), r1, r2).ok).toBe(false);
        expect(verifyConsistency(m, n, [], r1, r2).ok).toBe(false);
        expect(verifyConsistency(n, m, proof, r2, r1).ok).toBe(false);
      }
    }
    expect(verifyConsistency(5, 5, [], roots[5]!, roots[6]!).ok).toBe(false);
    expect(verifyConsistency(5, 5, [roots[5]!], roots[5]!, roots[5]!).ok).toBe(false);
    expect(verifyConsistency(0, 5, [], roots[1]!, roots[5]!).ok).toBe(false);
  });

  it('reject garbage without throwing', () => {
    const proof = consistencyProof(hashes, 3, 10);
    const [r1, r2] = [roots[3]!, roots[10]!];
    const garbage: Array<[unknown, unknown, unknown, unknown, unknown]> = [
      [-1, 10, proof, r1, r2],
      [3, 2 ** 64, proof, r1, r2],
      [3, Number.POSITIVE_INFINITY, proof, r1, r2],
      [3, 10, { length: 3 }, r1, r2],
      [3, 10, [...proof.slice(1), 'x'], r1, r2],
      [3, 10, proof, r1.subarray(2), r2],
      [3, 10, proof, r1, undefined],
    ];
    for (const [m, n, p, a, b] of garbage) {
      expect(verifyConsistency(m as number, n as number, p as Uint8Array[], a as Uint8Array, b as Uint8Array).ok).toBe(false);
    }
  });
});

// The transparency-dev/merkle conformance data (../shared/vectors/rfc6962): every
// wantErr:false case must verify and every wantErr:true case must be rejected.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vectorsDir = resolve(repoRoot, '..', 'shared', 'vectors', 'rfc6962');

const jsonFiles = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
    });

const b64 = (s: unknown): Uint8Array => Uint8Array.from(Buffer.from(typeof s === 'string' ? s : '', 'base64'));
const b64List = (v: unknown): Uint8Array[] | null => (Array.isArray(v) ? v.map(b64) : null);

describe('transparency-dev vectors', () => {
  it('every inclusion case gives the expected verdict', () => {
    const files = jsonFiles(join(vectorsDir, 'inclusion'));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const v = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const result = verifyInclusion(b64(v.leafHash), v.leafIdx as number, v.treeSize as number, b64List(v.proof), b64(v.root));
      expect(`${relative(vectorsDir, file)}: ${result.ok ? 'ok' : 'rejected'}`).toBe(`${relative(vectorsDir, file)}: ${v.wantErr ? 'rejected' : 'ok'}`);
    }
  });

  it('every consistency case gives the expected verdict', () => {
    const files = jsonFiles(join(vectorsDir, 'consistency'));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const v = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const result = verifyConsistency(v.size1 as number, v.size2 as number, b64List(v.proof), b64(v.root1), b64(v.root2));
      expect(`${relative(vectorsDir, file)}: ${result.ok ? 'ok' : 'rejected'}`).toBe(`${relative(vectorsDir, file)}: ${v.wantErr ? 'rejected' : 'ok'}`);
    }
  });
});
