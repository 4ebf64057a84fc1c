import { auditLeafBytes, personalDataMismatch, toHex } from '../../shared/audit/event';
import { hashesEqual, MerkleFrontier } from '../../shared/audit/merkle';
import { treeHeadSignatureProblem, type AuditKey, type SignedTreeHead } from '../../shared/audit/tree-head';
import { PLATFORM_TENANT_ID, scopeTenantId, type Db, type ScopedTx } from '../db/db';
import { appendAuditEvent, EVENT_COLUMNS, EVENT_FROM, nodeMerkleHasher, restoreFrontier, toEvent, type Actor, type AuditRow } from './audit-log';
import { ed25519Verify } from './ed25519';
import { listAuditKeys } from './signing-key';
import { inLog, listTreeHeads } from './tree-heads';

const BATCH = 2000;

export interface LogProblem {
  readonly tenantId: string;
  /** The first sequence number that cannot be trusted. */
  readonly seq: number;
  readonly message: string;
}

export interface LogVerification {
  readonly tenantId: string;
  readonly events: number;
  readonly heads: number;
  /** The earliest problem, or null when the whole log verifies. */
  readonly problem: LogProblem | null;
}

/**
 * Recomputes one log's tree from its stored events and checks it against
 * everything stored about it: each event's leaf hash and personal-data
 * commitment, gap-free numbering, the tree state row, and every signed tree
 * head (signature by a published key, root at its size). Reports the earliest
 * sequence number from which the log cannot be trusted.
 */
export const verifyLog = async (tx: ScopedTx, keys: readonly AuditKey[]): Promise<LogVerification> => {
  const tenantId = scopeTenantId(tx);
  const hasher = nodeMerkleHasher();
  const heads = await listTreeHeads(tx);
  const [state] = await tx.query<{ next_seq: string; frontier: Uint8Array }>('SELECT next_seq, frontier FROM audit_sequences WHERE tenant_id = $1', [
    tenantId,
  ]);
  const problems: LogProblem[] = [];
  const problem = (seq: number, message: string): void => {
    problems.push({ tenantId, seq, message });
  };

  for (const head of heads) {
    const bad = treeHeadSignatureProblem(head, keys, ed25519Verify);
    if (bad) problem(Math.max(head.treeSize, 1), bad);
  }

  const headsAt = new Map<number, SignedTreeHead>(heads.map((h) => [h.treeSize, h]));
  const frontier = new MerkleFrontier(hasher);
  const leaf = new Uint8Array(32);
  let lastGood = 0;
  let lastVerifiedHead = 0;
  const checkHeadAt = (size: number): boolean => {
    const head = headsAt.get(size);
    if (!head) return true;
    if (toHex(frontier.root()) !== head.rootHash) {
      problem(lastVerifiedHead + 1, `the signed tree head of size ${size} does not match the events 1..${size} as stored`);
      return false;
    }
    lastVerifiedHead = size;
    return true;
  };
  let broken = !checkHeadAt(0);
  scan: while (!broken) {
    const rows = await tx.query<AuditRow>(`SELECT ${EVENT_COLUMNS}, e.leaf_hash FROM ${EVENT_FROM} WHERE e.tenant_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT ${BATCH}`, [
      tenantId,
      lastGood,
    ]);
    for (const row of rows) {
      const expected = lastGood + 1;
      const event = toEvent(row);
      if (event.seq !== expected) {
        problem(expected, `event ${expected} is missing (the next stored event is ${event.seq})`);
        broken = true;
        break scan;
      }
      hasher.leafInto(auditLeafBytes(event), leaf, 0);
      if (!row.leaf_hash || !hashesEqual(leaf, Uint8Array.from(row.leaf_hash))) {
        problem(expected, `event ${expected} was altered: its stored fields do not hash to its leaf`);
        broken = true;
        break scan;
      }
      const personal = personalDataMismatch(event);
      if (personal) {
        problem(expected, personal);
        broken = true;
        break scan;
      }
      frontier.append(leaf);
      lastGood = expected;
      if (!checkHeadAt(expected)) {
        broken = true;
        break scan;
      }
    }
    if (rows.length < BATCH) break;
  }

  if (!broken) {
    const stateSize = state ? Number(state.next_seq) - 1 : 0;
    const largest = heads.at(-1)?.treeSize ?? 0;
    if (stateSize > lastGood || largest > lastGood) {
      problem(lastGood + 1, `the log ends at event ${lastGood} but ${Math.max(stateSize, largest)} events were recorded: events ${lastGood + 1}.. are missing`);
    } else if (state && !hashesEqual(restoreFrontier(stateSize, state.frontier).root(), frontier.root())) {
      problem(lastVerifiedHead + 1, 'the stored tree state does not match the events as stored');
    }
  }
  problems.sort((a, b) => a.seq - b.seq);
  return { tenantId, events: lastGood, heads: heads.length, problem: problems[0] ?? null };
};

/** Every log (or one tenant's), in order: the platform's first. */
export const verifyAuditLogs = async (db: Db, tenantId?: string): Promise<LogVerification[]> => {
  const keys = await db.platform(listAuditKeys);
  const logs =
    tenantId !== undefined
      ? [tenantId]
      : await db.platform(async (tx) => {
          const rows = await tx.query<{ tenant_id: string }>(
            'SELECT tenant_id FROM audit_sequences UNION SELECT tenant_id FROM audit_tree_heads UNION SELECT id FROM tenants UNION SELECT $1::uuid ORDER BY 1',
            [PLATFORM_TENANT_ID],
          );
          return rows.map((r) => r.tenant_id);
        });
  const results: LogVerification[] = [];
  for (const id of logs) results.push(await inLog(db, id, (tx) => verifyLog(tx, keys)));
  return results;
};

/**
 * Records in each log that verified whole (events and signed heads as stored) that
 * it did: an `audit.verified` event, the "last verification" a tenant's summary shows.
 * A log with a problem gets no such event, nor does an empty one (no such log).
 */
export const recordVerifications = async (db: Db, results: readonly LogVerification[], actor: Actor): Promise<void> => {
  for (const r of results) {
    if (r.problem || r.events === 0) continue;
    await inLog(db, r.tenantId, (tx) => appendAuditEvent(tx, { actor, action: 'audit.verified', target: `audit_log:${r.tenantId}`, details: { events: r.events, heads: r.heads } }));
  }
};
