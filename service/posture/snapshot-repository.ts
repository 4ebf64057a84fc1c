import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { PostureSchema, type Posture, type PostureSnapshot } from '../../shared/posture/api';
import type { AuditActor as Actor } from '../../shared/audit/event';
import { appendAuditEvent } from '../audit/audit-log';
import { scopeTenantId, type ScopedTx } from '../db/db';

/** The snapshot's hash: SHA-256 of the canonical JSON (RFC 8785) of the posture, hex. */
export const postureSha256 = (posture: Posture): string =>
  createHash('sha256')
    .update(canonicalize(posture) ?? '')
    .digest('hex');

interface SnapshotRow extends Record<string, unknown> {
  tenant_id: string;
  id: string;
  taken_at: Date | string;
  catalogue_version: number;
  posture: unknown;
  sha256: string;
  audit_seq: string | number;
}

const toSnapshot = (r: SnapshotRow): PostureSnapshot => ({
  id: r.id,
  tenantId: r.tenant_id,
  takenAt: new Date(r.taken_at).toISOString(),
  catalogueVersion: r.catalogue_version,
  sha256: r.sha256,
  auditSeq: Number(r.audit_seq),
  posture: PostureSchema.parse(typeof r.posture === 'string' ? JSON.parse(r.posture) : r.posture),
});

/** Stores the posture and appends its hash to the scope's log, in the caller's transaction (both or neither). */
export const storeSnapshot = async (tx: ScopedTx, posture: Posture, c: { actor: Actor; requestId: string | null }): Promise<PostureSnapshot> => {
  const id = randomUUID();
  const sha256 = postureSha256(posture);
  const counts = { pass: 0, warn: 0, fail: 0, not_applicable: 0 };
  for (const control of posture.controls) counts[control.status] += 1;
  const event = await appendAuditEvent(tx, {
    actor: c.actor,
    action: 'posture.snapshot',
    target: `posture_snapshot:${id}`,
    requestId: c.requestId,
    details: { sha256, catalogueVersion: posture.catalogueVersion, ...counts },
  });
  const [row] = await tx.query<SnapshotRow>(
    `INSERT INTO posture_snapshots (tenant_id, id, taken_at, catalogue_version, posture, sha256, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING tenant_id, id, taken_at, catalogue_version, posture, sha256, audit_seq`,
    [scopeTenantId(tx), id, posture.evaluatedAt, posture.catalogueVersion, JSON.stringify(posture), sha256, event.seq],
  );
  if (!row) throw new Error('the posture snapshot was not stored');
  return toSnapshot(row);
};

export const listSnapshots = async (tx: ScopedTx, limit: number): Promise<PostureSnapshot[]> =>
  (
    await tx.query<SnapshotRow>(
      'SELECT tenant_id, id, taken_at, catalogue_version, posture, sha256, audit_seq FROM posture_snapshots WHERE tenant_id = $1 ORDER BY taken_at DESC, id LIMIT $2',
      [scopeTenantId(tx), limit],
    )
  ).map(toSnapshot);
