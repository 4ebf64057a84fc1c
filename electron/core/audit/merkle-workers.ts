/**
 * RFC 9162 Merkle roots of large trees on worker threads (Node only; shared/audit/merkle.ts
 * stays the isomorphic reference).
 *
 * The tree is cut into aligned complete subtrees ("chunks") of 2^c leaves. Every split
 * point of the RFC 9162 tree above chunk level is a multiple of 2^c, so the root of the
 * whole tree is the RFC 9162 root over the chunk roots taken as leaf hashes. Workers
 * compute the chunk roots from a SharedArrayBuffer; this thread combines them (a few
 * hundred node hashes).
 *
 * node:crypto's one-shot hash() costs about a microsecond of call overhead whatever the
 * input, and a tree needs 2n − 1 hashes, so one thread cannot go much under 2 µs a leaf:
 * the only way down is more threads.
 */
import { hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { emptyRoot, HASH_SIZE, MerkleFrontier, merkleHasherFromDigest, rootOfLeaves, type MerkleHasher } from '../../../shared/audit/merkle';

export interface ParallelRootOptions {
  /** Worker threads to use; defaults to the cores available. 1 computes in this thread. */
  threads?: number;
}

/** Below this many leaves a worker's start-up (tens of ms) costs more than it saves. */
const MIN_PARALLEL_LEAVES = 1 << 15;

const nativeHasher: MerkleHasher = merkleHasherFromDigest((b) => hash('sha256', b, 'buffer'));

/**
 * One chunk root per [lo, hi) range, written to out. Leaves come either as leaf bytes
 * already prefixed with 0x00 (`data` with byte offsets `offsets`, leaf i is
 * data[offsets[i], offsets[i + 1])), or as packed leaf hashes (`offsets` null).
 * Bottom-up in one buffer of 65-byte slots [0x01 ‖ left ‖ right], so that each node
 * is hashed from a view without copying its children together; a lone last node is
 * carried up unchanged, which gives the RFC 9162 tree.
 */
const WORKER_SOURCE = `
const { hash } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const { data, offsets, out, next, size, chunkLeaves } = workerData;
const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
const offs = offsets;
const dst = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
let slots = Buffer.alloc(0);
const slotAt = (i) => Math.floor(i / 2) * 65 + (i % 2 === 1 ? 33 : 1);
for (let at = Atomics.add(next, 0, 1); at * chunkLeaves < size; at = Atomics.add(next, 0, 1)) {
  const lo = at * chunkLeaves, hi = Math.min(size, lo + chunkLeaves);
  let count = hi - lo;
  const need = Math.ceil(count / 2) * 65;
  if (slots.length < need) {
    slots = Buffer.alloc(need);
  }
  for (let j = 0; j < need; j += 65) slots[j] = 1;
  if (offs) {
    for (let i = 0; i < count; i++) hash('sha256', bytes.subarray(offs[lo + i], offs[lo + i + 1]), 'buffer').copy(slots, slotAt(i));
  } else {
    for (let i = 0; i + 1 < count; i += 2) bytes.copy(slots, slotAt(i), (lo + i) * 32, (lo + i + 2) * 32);
    if (count % 2 === 1) bytes.copy(slots, slotAt(count - 1), (hi - 1) * 32, hi * 32);
  }
  while (count > 1) {
    const pairs = Math.floor(count / 2);
    for (let j = 0; j < pairs; j++) hash('sha256', slots.subarray(j * 65, j * 65 + 65), 'buffer').copy(slots, slotAt(j));
    if (count % 2 === 1) {
      const from = pairs * 65 + 1;
      slots.copyWithin(slotAt(pairs), from, from + 32);
    }
    count = pairs + (count % 2);
  }
  slots.copy(dst, at * 32, 1, 33);
}
parentPort.postMessage('done');
`;

interface Job {
  data: Uint8Array;
  offsets: Float64Array | null;
  size: number;
}

const threadCount = (options: ParallelRootOptions | undefined): number => Math.max(1, Math.floor(options?.threads ?? availableParallelism()));

const runWorker = (workerData: unknown): Promise<void> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    let settled = false;
    worker.once('message', () => {
      settled = true;
      resolve();
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`a Merkle worker exited with code ${code} before finishing`));
    });
  });

async function rootOnWorkers({ data, offsets, size }: Job, threads: number): Promise<Uint8Array> {
  // About eight chunks a thread, taken from a shared counter: a thread that starts late
  // or is descheduled (a shared machine) leaves its chunks to the others.
  let chunkLeaves = 1;
  while (chunkLeaves * threads * 8 < size) chunkLeaves *= 2;
  const chunkCount = Math.ceil(size / chunkLeaves);
  const out = new Uint8Array(new SharedArrayBuffer(chunkCount * HASH_SIZE));
  const next = new Int32Array(new SharedArrayBuffer(4));
  await Promise.all(Array.from({ length: Math.min(threads, chunkCount) }, () => runWorker({ data, offsets, out, next, size, chunkLeaves })));
  const top = new MerkleFrontier(nativeHasher);
  for (let c = 0; c < chunkCount; c++) top.append(out.subarray(c * HASH_SIZE, (c + 1) * HASH_SIZE));
  return top.root();
}

/**
 * A buffer for `size` packed leaf hashes that workers can read without a copy.
 * Callers that fill one while streaming leaves pass it to `rootOfLeafHashesParallel`.
 */
export const allocateLeafHashes = (size: number): Uint8Array => new Uint8Array(new SharedArrayBuffer(size * HASH_SIZE));

/** MTH over `size` leaf hashes packed 32 bytes apiece (best in a buffer from `allocateLeafHashes`). */
export async function rootOfLeafHashesParallel(leafHashes: Uint8Array, size: number, options?: ParallelRootOptions): Promise<Uint8Array> {
  if (!Number.isSafeInteger(size) || size < 0 || size * HASH_SIZE > leafHashes.length) {
    throw new RangeError(`${String(size)} leaf hashes do not fit in ${leafHashes.length} bytes`);
  }
  if (size === 0) return emptyRoot();
  const threads = threadCount(options);
  if (threads === 1 || size < MIN_PARALLEL_LEAVES) {
    const f = new MerkleFrontier(nativeHasher);
    for (let i = 0; i < size; i++) f.append(leafHashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
    return f.root();
  }
  let data = leafHashes.subarray(0, size * HASH_SIZE);
  if (!(data.buffer instanceof SharedArrayBuffer)) {
    const shared = allocateLeafHashes(size);
    shared.set(data);
    data = shared;
  }
  return rootOnWorkers({ data, offsets: null, size }, threads);
}

/** MTH over leaf bytes (each hashed as a leaf); the bytes are copied once into shared memory, already prefixed with 0x00. */
export async function rootOfLeavesParallel(leaves: readonly Uint8Array[], options?: ParallelRootOptions): Promise<Uint8Array> {
  const size = leaves.length;
  const threads = threadCount(options);
  if (threads === 1 || size < MIN_PARALLEL_LEAVES) return rootOfLeaves(leaves, nativeHasher);
  let total = 0;
  for (const leaf of leaves) total += leaf.length + 1;
  const data = new Uint8Array(new SharedArrayBuffer(total));
  const offsets = new Float64Array(new SharedArrayBuffer((size + 1) * 8));
  let at = 0;
  for (let i = 0; i < size; i++) {
    offsets[i] = at;
    data[at] = 0x00;
    data.set(leaves[i]!, at + 1);
    at += leaves[i]!.length + 1;
  }
  offsets[size] = at;
  return rootOnWorkers({ data, offsets, size }, threads);
}
