import { hash, randomBytes } from 'node:crypto';
import {
  auditLeafBytes,
  personalCommitment,

  type AuditActor,
  type AuditDetails,
  type AuditEvent,
  type AuditOutcome,
} from '../../shared/audit/event';
import { MerkleFrontier, merkleHasherFromDigest, nodeHash, type MerkleHasher } from '../../shared/audit/merkle';
import { scopeTenantId, type ScopedTx } from '../db/db';
import { assertLeafValues } from './leaf-values';

export { freeText } from './leaf-values';

export type { AuditEvent } from '../../shared/audit/event';
export type Actor = AuditActor;
export type ActorType = AuditActor['type'];
export type Outcome = AuditOutcome;
type Json = AuditDetails[string];

export interface AuditEventInput {
  readonly actor: Actor;
  /** `domain.verb`, e.g. operator.created */
  readonly action: string;
  /** `kind:id` of what was acted on, e.g. tenant:3f…; never personal data (it is hashed). */
  readonly target: string;
  readonly outcome?: Outcome;
  readonly requestId?: string | null;
  /**
   * Hashed into the leaf, never erasable: ids, times, numbers, codes only (checked: see leaf-values.ts).
   * Never secrets, never personal data (names, emails, IPs), never free text: pass `freeText(…).lengths`.
   */
  readonly details?: Record<string, Json>;
  /** Personal data (ip, email, name) and free text (`freeText(…).personal`): stored beside the leaf under a salted commitment, erasable. */
  readonly personal?: Record<string, Json>;
}

/** SHA-256 through node:crypto for the service's trees. */
export const nodeMerkleHasher = (): MerkleHasher => merkleHasherFromDigest((b) => hash('sha256', b, 'buffer'));
const hasher = nodeMerkleHasher();

export interface AuditRow extends Record<string, unknown> {
  tenant_id: string;
  seq: number | string | bigint;
  at: Date | string;
  actor_type: ActorType;
  actor_id: string;
  action: string;
  target: string;
  outcome: Outcome;
  request_id: string | null;
  details: AuditDetails;
  personal_commitment: string;
  /** Selected only where the leaf is checked (verify-log, backfill). */
  leaf_hash?: Uint8Array;
  personal_salt: string | null;
  personal_data: AuditDetails | null;
}

/**
 * The columns of an event with its personal data (null once erased); alias `e` for audit_events.
 * Not the leaf hash: decoding a bytea per row is a good part of a page's cost, and only checks read it.
 */
export const EVENT_COLUMNS = `e.tenant_id, e.seq, e.at, e.actor_type, e.actor_id, e.action, e.target, e.outcome, e.request_id,
  e.details, e.personal_commitment, p.salt AS personal_salt, p.data AS personal_data`;
export const EVENT_FROM = 'audit_events e LEFT JOIN audit_personal p ON p.tenant_id = e.tenant_id AND p.seq = e.seq';

export const toEvent = (r: AuditRow): AuditEvent => ({
  tenantId: r.tenant_id,
  seq: Number(r.seq),
  at: new Date(r.at).toISOString(),
  actor: { type: r.actor_type, id: r.actor_id },
  action: r.action,
  target: r.target,
  outcome: r.outcome,
  requestId: r.request_id,
  details: r.details,
  personalCommitment: r.personal_commitment,
  personal: r.personal_salt !== null && r.personal_data !== null ? { salt: r.personal_salt, data: r.personal_data } : null,
});

const frontierHashes = (bytes: Uint8Array): Uint8Array[] =>
  Array.from({ length: bytes.length / 32 }, (_, i) => bytes.subarray(i * 32, (i + 1) * 32));

const concat = (hashes: readonly Uint8Array[]): Buffer => Buffer.concat(hashes.map((h) => Buffer.from(h.buffer, h.byteOffset, h.length)));

/** Restores the stored frontier of a tree of `size` leaves. */
export const restoreFrontier = (size: number, frontier: Uint8Array): MerkleFrontier =>
  MerkleFrontier.restore(size, frontierHashes(frontier), hasher);

interface TreeState {
  /** The seq the next event gets (tree size + 1). */
  readonly nextSeq: number;
  readonly frontier: Buffer;
  /** Time of the last event (ms), 0 for none: times never go back within a log. */
  readonly lastAt: number;
}

/**
 * The tree state each log had after this process's last append to it. Only a
 * guess (another instance may have appended, or that transaction rolled back):
 * the fast path writes only where the stored state still equals it exactly.
 */
const lastStates = new Map<string, TreeState>();
const MAX_CACHED_STATES = 10_000;

const remember = (tenantId: string, state: TreeState): void => {
  if (lastStates.size >= MAX_CACHED_STATES && !lastStates.has(tenantId)) lastStates.clear();
  lastStates.set(tenantId, state);
};

/** Subtrees of fewer leaves are not stored: a proof hashes them from at most 255 leaf hashes. */
export const MIN_STORED_SUBTREE_LEVEL = 8;

/** The root of the complete subtree of 2^level leaves number idx (events idx·2^level + 1 … (idx + 1)·2^level). */
export interface Subtree {
  readonly level: number;
  readonly idx: number;
  readonly hash: Uint8Array;
}

/**
 * The stored-size subtrees that leaf number `seq` completes: those of 2^8 … 2^t leaves
 * ending at it, where 2^t is the largest power of two dividing seq. Each is the left
 * sibling from the old frontier (the root of the 2^(l-1) leaves before) hashed with
 * the subtree of 2^(l-1) leaves ending at the leaf, exactly as the frontier merges.
 */
const completedSubtrees = (seq: number, oldFrontier: readonly Uint8Array[], leaf: Uint8Array): Subtree[] => {
  if (seq % 2 ** MIN_STORED_SUBTREE_LEVEL !== 0) return [];
  const out: Subtree[] = [];
  let root: Uint8Array = leaf;
  for (let level = 1; seq % 2 ** level === 0; level++) {
    const left = oldFrontier[oldFrontier.length - level]!;
    root = nodeHash(left, root, hasher);
    if (level >= MIN_STORED_SUBTREE_LEVEL) out.push({ level, idx: seq / 2 ** level - 1, hash: root });
  }
  return out;
};

interface Prepared {
  readonly event: AuditEvent;
  readonly leaf: Buffer;
  readonly after: TreeState;
  readonly subtrees: readonly Subtree[];
}

const prepare = (tenantId: string, input: AuditEventInput, before: TreeState): Prepared => {
  const seq = before.nextSeq;
  const personal = { salt: randomBytes(16).toString('base64url'), data: input.personal ?? {} };
  const event: AuditEvent = {
    tenantId,
    seq,
    // Millisecond precision: what is stored is what is hashed. Never before the previous
    // event (a clock step back), so a time range is a range of sequence numbers too.
    at: new Date(Math.max(Date.now(), before.lastAt)).toISOString(),
    actor: { type: input.actor.type, id: input.actor.id },
    action: input.action,
    target: input.target,
    outcome: input.outcome ?? 'success',
    requestId: input.requestId ?? null,
    details: input.details ?? {},
    personalCommitment: personalCommitment(personal),
    personal,
  };
  const oldFrontier = frontierHashes(before.frontier);
  const frontier = MerkleFrontier.restore(seq - 1, oldFrontier, hasher);
  const leaf = Buffer.alloc(32);
  hasher.leafInto(auditLeafBytes(event), leaf, 0);
  frontier.append(leaf);
  return {
    event,
    leaf,
    after: { nextSeq: seq + 1, frontier: concat(frontier.hashes()), lastAt: Date.parse(event.at) },
    subtrees: completedSubtrees(seq, oldFrontier, leaf),
  };
};

const rowParams = ({ event, leaf, after }: Prepared): unknown[] => [
  event.tenantId,
  event.seq,
  event.at,
  event.actor.type,
  event.actor.id,
  event.action,
  event.target,
  event.outcome,
  event.requestId,
  JSON.stringify(event.details),
  event.personalCommitment,
  leaf,
  event.personal?.salt,
  JSON.stringify(event.personal?.data ?? {}),
  after.frontier,
];

/** Stores the subtrees an append completes (one append in 256 has any), in its transaction. */
const storeSubtrees = async (tx: ScopedTx, tenantId: string, subtrees: readonly Subtree[]): Promise<void> => {
  if (subtrees.length === 0) return;
  await tx.query(
    `INSERT INTO audit_subtrees (tenant_id, level, idx, hash)
     SELECT $1::uuid, ($2::smallint[])[k], ($3::bigint[])[k], substring($4::bytea FROM (k - 1) * 32 + 1 FOR 32)
     FROM generate_series(1, cardinality($2::smallint[])) AS k
     ON CONFLICT DO NOTHING`,
    [tenantId, subtrees.map((t) => t.level), subtrees.map((t) => String(t.idx)), concat(subtrees.map((t) => t.hash))],
  );
};

/** One call of attest_append_audit_event (migration 0012): planned once per session, not per append. */
const writeAppend = async (tx: ScopedTx, prepared: Prepared, expectedFrontier: Buffer | null): Promise<boolean> => {
  const [row] = await tx.query<{ ok: boolean }>(
    `SELECT attest_append_audit_event($1::uuid, $2::bigint, $3::timestamptz, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
       $10::jsonb, $11::text, $12::bytea, $13::text, $14::jsonb, $15::bytea, $16::bytea) AS ok`,
    [...rowParams(prepared), expectedFrontier],
  );
  if (row?.ok !== true) return false;
  await storeSubtrees(tx, prepared.event.tenantId, prepared.subtrees);
  return true;
};

/**
 * Appends an event to the log of the transaction's scope (the tenant, or the
 * platform under the nil UUID), in that transaction: the mutation and its event
 * commit together or not at all.
 *
 * The tree's state row (sequence and frontier) is what serialises appenders:
 * its row lock is held to the end of the transaction, so sequence numbers have
 * no gaps (a rollback rolls the row back too) and the frontier written is
 * always the tree of exactly seq leaves. The fast path is one call of
 * attest_append_audit_event (migration 0012, plans kept per session): it updates
 * the row only where it still holds the state this process last wrote, and
 * inserts the event only if it did (re-checked after any lock wait); otherwise
 * the row is locked and read first. Refuses (throws) an event whose leaf would
 * hold free text (leaf-values.ts).
 */
export const appendAuditEvent = async (tx: ScopedTx, input: AuditEventInput): Promise<AuditEvent> => {
  assertLeafValues(input);
  const tenantId = scopeTenantId(tx);
  const guess = lastStates.get(tenantId);
  if (guess) {
    const prepared = prepare(tenantId, input, guess);
    if (await writeAppend(tx, prepared, guess.frontier)) {
      remember(tenantId, prepared.after);
      return prepared.event;
    }
  }
  const [state] = await tx.query<{ next_seq: string | number; frontier: Uint8Array; last_at: Date | string | null }>(
    `INSERT INTO audit_sequences AS s (tenant_id, next_seq) VALUES ($1, 1)
     ON CONFLICT (tenant_id) DO UPDATE SET next_seq = s.next_seq
     RETURNING next_seq, frontier, (SELECT e.at FROM audit_events e WHERE e.tenant_id = s.tenant_id AND e.seq = s.next_seq - 1) AS last_at`,
    [tenantId],
  );
  if (!state) throw new Error('audit tree state was not stored');
  const prepared = prepare(tenantId, input, {
    nextSeq: Number(state.next_seq),
    frontier: Buffer.from(state.frontier),
    lastAt: state.last_at === null ? 0 : new Date(state.last_at).getTime(),
  });
  if (!(await writeAppend(tx, prepared, null))) throw new Error('the locked audit tree state changed under its lock');
  remember(tenantId, prepared.after);
  return prepared.event;
};

/** The scope's events in sequence order, with their personal data. */
export const listAuditEvents = async (tx: ScopedTx, options: { afterSeq?: number; limit?: number } = {}): Promise<AuditEvent[]> => {
  const rows = await tx.query<AuditRow>(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.tenant_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3`, [
    scopeTenantId(tx),
    options.afterSeq ?? 0,
    options.limit ?? 1000,
  ]);
  return rows.map(toEvent);
};

/** Erasure: deletes the personal data of events (all of the scope's, or those given); their leaves still verify. Returns how many. */
export const erasePersonalAuditData = async (tx: ScopedTx, seqs?: readonly number[]): Promise<number> => {
  const rows = await tx.query(
    seqs
      ? 'DELETE FROM audit_personal WHERE tenant_id = $1 AND seq = ANY($2::bigint[]) RETURNING seq'
      : 'DELETE FROM audit_personal WHERE tenant_id = $1 RETURNING seq',
    seqs ? [scopeTenantId(tx), seqs.map(String)] : [scopeTenantId(tx)],
  );
  return rows.length;
};

/** The tree's size and root as its state row holds them. */
export const currentTree = async (tx: ScopedTx): Promise<{ size: number; root: Uint8Array }> => {
  const [row] = await tx.query<{ next_seq: string | number; frontier: Uint8Array }>(
    'SELECT next_seq, frontier FROM audit_sequences WHERE tenant_id = $1',
    [scopeTenantId(tx)],
  );
  const size = row ? Number(row.next_seq) - 1 : 0;
  return { size, root: restoreFrontier(size, row?.frontier ?? new Uint8Array()).root() };
};

