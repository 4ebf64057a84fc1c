import type { ConsistencyProof, InclusionProof } from '../../shared/audit/api';
import { toHex } from '../../shared/audit/event';
import { consistencyProof, inclusionProof } from '../../shared/audit/merkle';
import { scopeTenantId, type ScopedTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { currentTree, nodeMerkleHasher } from './audit-log';

const hasher = nodeMerkleHasher();

const outOfRange = (message: string): ApiError => new ApiError(400, 'tree_size_out_of_range', message);

/** The stored leaf hashes of events 1..size, in order. */
export const storedLeafHashes = async (tx: ScopedTx, size: number): Promise<Uint8Array[]> => {
  const rows = await tx.query<{ leaf_hash: Uint8Array }>('SELECT leaf_hash FROM audit_events WHERE tenant_id = $1 AND seq <= $2 ORDER BY seq', [
    scopeTenantId(tx),
    size,
  ]);
  if (rows.length !== size) throw new Error(`the audit log holds ${rows.length} of the ${size} leaves it should`);
  return rows.map((r) => Uint8Array.from(r.leaf_hash));
};

const checkSize = async (tx: ScopedTx, treeSize: number): Promise<void> => {
  const { size } = await currentTree(tx);
  if (treeSize > size) throw outOfRange(`The log has ${size} events; there is no tree of size ${treeSize}.`);
};

export const proveInclusion = async (tx: ScopedTx, seq: number, treeSize: number): Promise<InclusionProof> => {
  if (seq > treeSize) throw outOfRange(`Event ${seq} is not in a tree of size ${treeSize}.`);
  await checkSize(tx, treeSize);
  const leaves = await storedLeafHashes(tx, treeSize);
  return { seq, treeSize, path: inclusionProof(leaves, seq - 1, treeSize, hasher).map(toHex) };
};

export const proveConsistency = async (tx: ScopedTx, from: number, to: number): Promise<ConsistencyProof> => {
  if (from > to) throw outOfRange(`The old size ${from} is larger than the new size ${to}.`);
  await checkSize(tx, to);
  const leaves = await storedLeafHashes(tx, to);
  return { from, to, path: consistencyProof(leaves, from, to, hasher).map(toHex) };
};
