import { hash, randomBytes, randomUUID } from 'node:crypto';
import { auditLeafBytes, personalCommitment } from '../../shared/audit/event';
import { nodeMerkleHasher } from '../audit/audit-log';

/**
 * The large demo's audit events, made in Node: the leaf bytes, commitments and leaf hashes come
 * from the same functions every append uses (shared/audit/event.ts) with node:crypto's SHA-256,
 * which is far cheaper than building the canonical JSON and hashing it row by row in SQL.
 */

const ACTIONS = ['member.role_changed', 'session.revoked', 'api_token.created', 'member.invited', 'mfa.enrolled', 'auth.step_up', 'auth.step_up', 'session.revoked'];
const digest = (input: Uint8Array): Uint8Array => hash('sha256', input, 'buffer');

export interface AuditHistory {
  readonly tenantId: string;
  /** The tenant's members (actors of the events). */
  readonly userIds: readonly string[];
  readonly count: number;
  /** Time of the first event and the span the rest spread over (ms). */
  readonly first: number;
  readonly span: number;
}

/** Columns of one batch, as the bulk insert takes them (leaf hashes packed 32 bytes apiece). */
export interface AuditBatch {
  readonly firstSeq: number;
  readonly at: string[];
  readonly actorId: string[];
  readonly action: string[];
  readonly target: string[];
  readonly outcome: string[];
  readonly details: string[];
  readonly commitment: string[];
  readonly salt: string[];
  readonly personal: string[];
  readonly leaves: Buffer;
}

const targetOf = (k: number, userId: string): string => {
  if (k === 1 || k === 7) return `session:${randomUUID()}`;
  if (k === 2) return `api_token:${randomUUID()}`;
  return `user:${userId}`;
};

const detailsOf = (k: number): Record<string, string | string[]> => {
  if (k === 0) return { from: 'viewer', to: 'editor' };
  if (k === 2) return { scopes: ['audit.read'] };
  return {};
};

const personalOf = (k: number, seq: number): Record<string, string> => (k === 5 || k === 6 ? { ip: `203.0.113.${(seq % 254) + 1}` } : {});

/** Events firstSeq … firstSeq + size − 1 of the history, with their leaf hashes. */
export const auditBatch = (h: AuditHistory, firstSeq: number, size: number): AuditBatch => {
  const hasher = nodeMerkleHasher();
  const salts = randomBytes(16 * size);
  const b: AuditBatch = { firstSeq, at: [], actorId: [], action: [], target: [], outcome: [], details: [], commitment: [], salt: [], personal: [], leaves: Buffer.alloc(32 * size) };
  for (let j = 0; j < size; j++) {
    const seq = firstSeq + j;
    const k = seq % 8;
    const userId = h.userIds[(seq * 7919) % h.userIds.length]!;
    const details = detailsOf(k);
    const personal = { salt: salts.subarray(16 * j, 16 * (j + 1)).toString('base64url'), data: personalOf(k, seq) };
    const event = {
      tenantId: h.tenantId,
      seq,
      at: new Date(h.first + Math.floor(((seq - 1) / h.count) * h.span)).toISOString(),
      actor: { type: 'user' as const, id: userId },
      action: ACTIONS[k]!,
      target: targetOf(k, userId),
      outcome: k === 6 && seq % 3 === 0 ? ('failure' as const) : ('success' as const),
      requestId: null,
      details,
      personalCommitment: personalCommitment(personal, digest),
    };
    hasher.leafInto(auditLeafBytes(event), b.leaves, 32 * j);
    b.at.push(event.at);
    b.actorId.push(userId);
    b.action.push(event.action);
    b.target.push(event.target);
    b.outcome.push(event.outcome);
    b.details.push(JSON.stringify(details));
    b.commitment.push(event.personalCommitment);
    b.salt.push(personal.salt);
    b.personal.push(JSON.stringify(personal.data));
  }
  return b;
};

export interface TreeNode {
  readonly level: number;
  readonly idx: number;
  readonly hash: Buffer;
}

/**
 * The Merkle tree over leaf hashes (packed 32 bytes apiece) as appends leave it stored: every
 * complete subtree of 2^minLevel leaves or more, and the frontier (for each set bit l of the
 * size, the subtree of level l numbered (size >> l) − 1, largest first; level 0 is the last leaf).
 */
export const treeOf = (leaves: Buffer, minLevel: number): { subtrees: TreeNode[]; frontier: Buffer } => {
  const hasher = nodeMerkleHasher();
  const size = leaves.length / 32;
  const subtrees: TreeNode[] = [];
  const roots: Buffer[] = size % 2 === 1 ? [leaves.subarray(32 * (size - 1))] : [];
  let below = leaves;
  for (let level = 1; 2 ** level <= size; level++) {
    const count = Math.floor(below.length / 64);
    const nodes = Buffer.alloc(32 * count);
    for (let i = 0; i < count; i++) hasher.nodeInto(below, 64 * i, below, 64 * i + 32, nodes, 32 * i);
    if (level >= minLevel) for (let i = 0; i < count; i++) subtrees.push({ level, idx: i, hash: nodes.subarray(32 * i, 32 * (i + 1)) });
    if (Math.floor(size / 2 ** level) % 2 === 1) roots.unshift(nodes.subarray(32 * (count - 1), 32 * count));
    below = nodes;
  }
  return { subtrees, frontier: Buffer.concat(roots) };
};
