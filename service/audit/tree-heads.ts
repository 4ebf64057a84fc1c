import { toHex } from '../../shared/audit/event';
import { toBase64, treeHeadMessage, type SignedTreeHead } from '../../shared/audit/tree-head';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID, scopeTenantId, type Db, type ScopedTx } from '../db/db';
import { currentTree } from './audit-log';
import { publishAuditKey, type AuditSigner } from './signing-key';

/** A log's transaction: the platform scope for the nil UUID, else the tenant's. */
export const inLog = <T>(db: Db, tenantId: string, fn: (tx: ScopedTx) => Promise<T>): Promise<T> =>
  tenantId === PLATFORM_TENANT_ID ? db.platform(fn) : db.tenant(tenantId as TenantId, fn);

interface HeadRow extends Record<string, unknown> {
  tenant_id: string;
  tree_size: string | number;
  root_hash: string;
  issued_at: Date | string;
  key_id: string;
  signature: string;
}

const HEAD_COLUMNS = 'tenant_id, tree_size, root_hash, issued_at, key_id, signature';

const toHead = (r: HeadRow): SignedTreeHead => ({
  tenantId: r.tenant_id,
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  timestamp: new Date(r.issued_at).toISOString(),
  keyId: r.key_id,
  signature: r.signature,
});

export const latestTreeHead = async (tx: ScopedTx): Promise<SignedTreeHead | null> => {
  const [row] = await tx.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM audit_tree_heads WHERE tenant_id = $1 ORDER BY tree_size DESC LIMIT 1`, [
    scopeTenantId(tx),
  ]);
  return row ? toHead(row) : null;
};

/** Every stored head of the scope's log, smallest first. */
export const listTreeHeads = async (tx: ScopedTx): Promise<SignedTreeHead[]> =>
  (await tx.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM audit_tree_heads WHERE tenant_id = $1 ORDER BY tree_size`, [scopeTenantId(tx)])).map(toHead);

/**
 * Signs and stores a head over the log as it stands in this transaction, or
 * returns the latest one when nothing was appended since it.
 */
export const issueTreeHead = async (tx: ScopedTx, signer: AuditSigner, now: Date): Promise<SignedTreeHead> => {
  const latest = await latestTreeHead(tx);
  const tree = await currentTree(tx);
  if (latest && latest.treeSize >= tree.size) return latest;
  const unsigned = {
    tenantId: scopeTenantId(tx),
    treeSize: tree.size,
    rootHash: toHex(tree.root),
    timestamp: new Date(Math.floor(now.getTime())).toISOString(),
    keyId: signer.keyId,
  };
  const head: SignedTreeHead = { ...unsigned, signature: toBase64(signer.sign(treeHeadMessage(unsigned))) };
  const [stored] = await tx.query<HeadRow>(
    `INSERT INTO audit_tree_heads (${HEAD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, tree_size) DO NOTHING RETURNING ${HEAD_COLUMNS}`,
    [head.tenantId, head.treeSize, head.rootHash, head.timestamp, head.keyId, head.signature],
  );
  // Another transaction signed this size first: its head is as good.
  return stored ? toHead(stored) : ((await latestTreeHead(tx)) ?? head);
};

/** Logs (tenant ids, the nil UUID for the platform) that grew since their latest head. */
export const logsWithoutCurrentHead = async (db: Db): Promise<string[]> =>
  db.platform(async (tx) =>
    (
      await tx.query<{ tenant_id: string }>(
        `SELECT s.tenant_id FROM audit_sequences s
         WHERE s.next_seq - 1 > coalesce((SELECT max(h.tree_size) FROM audit_tree_heads h WHERE h.tenant_id = s.tenant_id), 0)`,
      )
    ).map((r) => r.tenant_id),
  );

/** Signing for the running service: the key is published before the first head it signs. */
export interface TreeHeadSigning {
  readonly signer: AuditSigner;
  /** Publishes the signer's public key (once per process; retires any other current key). */
  publishKey(): Promise<void>;
  /** A new head over the log as it stands, or the latest if it did not grow. */
  issue(tenantId: string): Promise<SignedTreeHead>;
  /** The latest stored head; the first one is issued on demand. */
  latest(tenantId: string): Promise<SignedTreeHead>;
}

export const treeHeadSigning = (db: Db, signer: AuditSigner, now: () => Date): TreeHeadSigning => {
  let published: Promise<void> | null = null;
  const publishKey = (): Promise<void> => {
    published ??= db.platform((tx) => publishAuditKey(tx, signer, now())).catch((err: unknown) => {
      published = null;
      throw err;
    });
    return published;
  };
  const issue = async (tenantId: string): Promise<SignedTreeHead> => {
    await publishKey();
    return inLog(db, tenantId, (tx) => issueTreeHead(tx, signer, now()));
  };
  return {
    signer,
    publishKey,
    issue,
    latest: async (tenantId) => (await inLog(db, tenantId, latestTreeHead)) ?? issue(tenantId),
  };
};

export interface TreeHeadTimer {
  /** Issues heads for every log that grew; what the timer does each tick. */
  tick(): Promise<number>;
  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void>;
}

/** Signs a head for each log that grew, every `intervalMs` (default 10 s), so no event waits longer than that for a head. */
export const startTreeHeadTimer = (
  db: Db,
  signing: TreeHeadSigning,
  options: { intervalMs?: number; onError: (err: unknown) => void },
): TreeHeadTimer => {
  let running: Promise<number> | null = null;
  const tick = (): Promise<number> => {
    running ??= (async () => {
      const logs = await logsWithoutCurrentHead(db);
      for (const tenantId of logs) await signing.issue(tenantId);
      return logs.length;
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    tick().catch(options.onError);
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
};
