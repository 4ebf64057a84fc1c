import { randomUUID } from 'node:crypto';
import {
  ApprovalSubjectSchema,
  PLATFORM_SCOPE_ID,
  type ApprovalAction,
  type ApprovalRequest,
  type ApprovalStatus,
  type ApprovalSubject,
} from '../../shared/approvals/schemas';
import { appendAuditEvent, freeText } from '../audit/audit-log';
import { scopeTenantId, type ScopedTx } from '../db/db';

/** Approval requests (migration 0012): the tenant's in its scope, the platform's (nil UUID) in platform scope. */

export interface ApprovalRecord {
  readonly tenantId: string;
  readonly id: string;
  readonly subject: ApprovalSubject;
  readonly reason: string;
  readonly requestedBy: { readonly userId: string; readonly email: string };
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly status: ApprovalStatus;
  readonly decidedBy: { readonly userId: string; readonly email: string } | null;
  readonly decidedAt: Date | null;
  readonly comment: string | null;
  readonly result: Record<string, number | string | null> | null;
}

interface Row extends Record<string, unknown> {
  tenant_id: string;
  id: string;
  action: ApprovalAction;
  subject: unknown;
  reason: string;
  requested_by: string;
  requested_by_email: string;
  created_at: Date | string;
  expires_at: Date | string;
  status: ApprovalStatus;
  decided_by: string | null;
  decided_by_email: string | null;
  decided_at: Date | string | null;
  decision_comment: string | null;
  result: Record<string, number | string | null> | null;
}

const toRecord = (r: Row): ApprovalRecord => ({
  tenantId: r.tenant_id,
  id: r.id,
  // Stored by this module from a parsed subject; parsing again keeps a hand-edited row from reaching an action.
  subject: ApprovalSubjectSchema.parse(typeof r.subject === 'string' ? JSON.parse(r.subject) : r.subject),
  reason: r.reason,
  requestedBy: { userId: r.requested_by, email: r.requested_by_email },
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_at),
  status: r.status,
  decidedBy: r.decided_by === null ? null : { userId: r.decided_by, email: r.decided_by_email ?? '' },
  decidedAt: r.decided_at === null ? null : new Date(r.decided_at),
  comment: r.decision_comment,
  result: typeof r.result === 'string' ? (JSON.parse(r.result) as ApprovalRecord['result']) : r.result,
});

export const toApprovalRequest = (r: ApprovalRecord, callerId: string, canDecide: boolean): ApprovalRequest => ({
  id: r.id,
  tenantId: r.tenantId,
  subject: r.subject,
  reason: r.reason,
  requestedBy: r.requestedBy,
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
  status: r.status,
  decidedBy: r.decidedBy,
  decidedAt: r.decidedAt?.toISOString() ?? null,
  comment: r.comment,
  result: r.result,
  mine: r.requestedBy.userId === callerId,
  canDecide: canDecide && r.status === 'pending' && r.requestedBy.userId !== callerId,
});

export const insertApprovalRequest = async (
  tx: ScopedTx,
  input: { subject: ApprovalSubject; reason: string; requester: { userId: string; email: string }; now: Date; expiresAt: Date; requestId: string },
): Promise<ApprovalRecord> => {
  const rows = await tx.query<Row>(
    `INSERT INTO approval_requests (tenant_id, id, action, subject, reason, requested_by, requested_by_email, created_at, expires_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9) RETURNING *`,
    [
      scopeTenantId(tx),
      randomUUID(),
      input.subject.action,
      JSON.stringify(input.subject),
      input.reason,
      input.requester.userId,
      input.requester.email,
      input.now.toISOString(),
      input.expiresAt.toISOString(),
    ],
  );
  const record = toRecord(rows[0] as Row);
  const reason = freeText({ reason: input.reason });
  await appendAuditEvent(tx, {
    actor: { type: 'user', id: input.requester.userId },
    action: 'approval.requested',
    target: `approval:${record.id}`,
    requestId: input.requestId,
    details: { ...input.subject, expiresAt: record.expiresAt.toISOString(), ...reason.lengths },
    personal: reason.personal,
  });
  return record;
};

/** One request of the scope, locked until the transaction ends. */
export const lockApprovalRequest = async (tx: ScopedTx, id: string): Promise<ApprovalRecord | null> => {
  const rows = await tx.query<Row>('SELECT * FROM approval_requests WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [scopeTenantId(tx), id]);
  return rows[0] ? toRecord(rows[0]) : null;
};

/**
 * Requests of the transaction's scope that involve `userId` (made or decided by
 * them) or are pending; in platform scope, every tenant's (platform staff act in all).
 */
export const listApprovalRequests = async (tx: ScopedTx, userId: string, limit = 200): Promise<ApprovalRecord[]> => {
  const rows = await tx.query<Row>(
    `SELECT * FROM approval_requests
      WHERE ($1::uuid IS NULL OR tenant_id = $1) AND (status = 'pending' OR requested_by = $2 OR decided_by = $2)
      ORDER BY created_at DESC, id LIMIT $3`,
    [tx.scope === 'tenant' ? tx.tenantId : null, userId, limit],
  );
  return rows.map(toRecord);
};

export const recordDecision = async (
  tx: ScopedTx,
  request: ApprovalRecord,
  decision: { status: 'approved' | 'denied' | 'expired' | 'withdrawn'; by: { userId: string; email: string } | null; comment: string | null; at: Date; result: ApprovalRecord['result']; requestId: string | null },
): Promise<ApprovalRecord> => {
  const rows = await tx.query<Row>(
    `UPDATE approval_requests SET status = $3, decided_by = $4, decided_by_email = $5, decided_at = $6, decision_comment = $7, result = $8::jsonb
      WHERE tenant_id = $1 AND id = $2 AND status = 'pending' RETURNING *`,
    [
      scopeTenantId(tx),
      request.id,
      decision.status,
      decision.by?.userId ?? null,
      decision.by?.email ?? null,
      decision.at.toISOString(),
      decision.comment,
      decision.result === null ? null : JSON.stringify(decision.result),
    ],
  );
  const updated = rows[0];
  if (!updated) throw new Error(`approval ${request.id} was no longer pending`);
  const comment = freeText({ comment: decision.comment ?? '' });
  await appendAuditEvent(tx, {
    // Expiry is nobody's act: the service records it when it first observes it.
    actor: decision.by ? { type: 'user', id: decision.by.userId } : { type: 'system', id: 'approvals' },
    action: `approval.${decision.status}`,
    target: `approval:${request.id}`,
    ...(decision.requestId ? { requestId: decision.requestId } : {}),
    details: {
      action: request.subject.action,
      requestedBy: request.requestedBy.userId,
      ...comment.lengths,
      ...(decision.result ? { result: decision.result } : {}),
    },
    personal: comment.personal,
  });
  return toRecord(updated);
};

/** The scope a request's tenant id names. */
export const isPlatformScope = (tenantId: string): boolean => tenantId === PLATFORM_SCOPE_ID;
