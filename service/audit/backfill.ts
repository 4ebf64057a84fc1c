import { randomBytes } from 'node:crypto';
import { auditLeafBytes, personalCommitment } from '../../shared/audit/event';
import { MerkleFrontier } from '../../shared/audit/merkle';
import { PLATFORM_TENANT_ID } from '../db/db';
import type { SqlEngine, SqlTx } from '../db/engine';
import { nodeMerkleHasher, toEvent, type AuditRow } from './audit-log';

const BATCH = 1000;

const setScope = (tx: SqlTx, tenantId: string): Promise<unknown> =>
  tx.query("SELECT set_config('attest.scope', $1, true), set_config('attest.tenant_id', $2, true)", [
    tenantId === PLATFORM_TENANT_ID ? 'platform' : 'tenant',
    tenantId === PLATFORM_TENANT_ID ? '' : tenantId,
  ]);

/**
 * Events written before migration 0008 have no commitment and no leaf hash, and
 * their trees no frontier. Run at start by the migrating role (which may update
 * audit_events; the service's role may not), once per such tree, in seq order:
 * their time is cut to milliseconds (what is hashed), they get a commitment to
 * empty personal data, and the frontier is rebuilt. A tree with events and an
 * empty frontier is exactly such a tree, so a start with nothing to do costs one query.
 */
export const backfillAuditLeaves = async (engine: SqlEngine): Promise<number> => {
  const pending = await engine.transaction(async (tx) => {
    await setScope(tx, PLATFORM_TENANT_ID);
    return tx.query<{ tenant_id: string }>("SELECT tenant_id FROM audit_sequences WHERE next_seq > 1 AND frontier = '\\x'::bytea");
  });
  const hasher = nodeMerkleHasher();
  for (const { tenant_id: tenantId } of pending) {
    await engine.transaction(async (tx) => {
      await setScope(tx, tenantId);
      const [state] = await tx.query<{ next_seq: string }>(
        "SELECT next_seq FROM audit_sequences WHERE tenant_id = $1 AND frontier = '\\x'::bytea FOR UPDATE",
        [tenantId],
      );
      if (!state) return;
      const frontier = new MerkleFrontier(hasher);
      for (let after = 0; ; ) {
        const rows = await tx.query<AuditRow>(
          `SELECT e.*, NULL AS personal_salt, NULL AS personal_data FROM audit_events e WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT ${BATCH}`,
          [tenantId, after],
        );
        for (const row of rows) {
          const leaf = new Uint8Array(32);
          if (row.leaf_hash && row.personal_commitment) {
            leaf.set(row.leaf_hash);
          } else {
            const personal = { salt: randomBytes(16).toString('base64url'), data: {} };
            const commitment = personalCommitment(personal);
            const at = new Date(new Date(row.at).toISOString());
            const event = toEvent({ ...row, at, personal_commitment: commitment });
            hasher.leafInto(auditLeafBytes(event), leaf, 0);
            await tx.query('UPDATE audit_events SET at = $3, personal_commitment = $4, leaf_hash = $5 WHERE tenant_id = $1 AND seq = $2', [
              tenantId,
              row.seq,
              event.at,
              commitment,
              Buffer.from(leaf),
            ]);
            await tx.query('INSERT INTO audit_personal (tenant_id, seq, salt, data) VALUES ($1, $2, $3, $4::jsonb)', [
              tenantId,
              row.seq,
              personal.salt,
              '{}',
            ]);
          }
          frontier.append(leaf);
          after = Number(row.seq);
        }
        if (rows.length < BATCH) break;
      }
      await tx.query('UPDATE audit_sequences SET frontier = $2 WHERE tenant_id = $1', [
        tenantId,
        Buffer.concat(frontier.hashes().map((h) => Buffer.from(h))),
      ]);
    });
  }
  return pending.length;
};
