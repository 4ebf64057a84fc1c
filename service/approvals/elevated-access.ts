import type { PlatformRole } from '../../shared/identity/roles';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { PlatformTx } from '../db/db';

/**
 * Platform roles granted through approval: they carry an expiry and stop counting
 * at it by themselves (authentication and loadGrants ignore a grant past its
 * expires_at). The row is deleted, and the expiry audited, when the service next
 * observes it (expireElevatedGrants); nothing depends on that for enforcement.
 */

/** Grants `role` until `expiresAt`; a standing grant (provisioning) is left as it is. Returns whether the user now holds the timed grant. */
export const grantElevatedRole = async (
  tx: PlatformTx,
  input: { userId: string; role: PlatformRole; at: Date; expiresAt: Date; approvalId: string },
  actor: Actor,
  requestId: string,
): Promise<{ expiresAt: string | null }> => {
  const rows = await tx.query<{ expires_at: Date | string | null }>(
    `INSERT INTO platform_role_grants AS g (user_id, role, granted_at, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, role) DO UPDATE SET granted_at = EXCLUDED.granted_at, expires_at = EXCLUDED.expires_at
       WHERE g.expires_at IS NOT NULL
     RETURNING g.expires_at`,
    [input.userId, input.role, input.at.toISOString(), input.expiresAt.toISOString()],
  );
  const expiresAt = rows[0] ? input.expiresAt.toISOString() : null;
  await appendAuditEvent(tx, {
    actor,
    action: 'platform_role.granted',
    target: `user:${input.userId}`,
    requestId,
    details: { role: input.role, expiresAt, approvalId: input.approvalId },
  });
  return { expiresAt };
};

/** Standing (non-expiring) grant of `role` to the user? Then a timed request for it makes no sense. */
export const holdsStandingRole = async (tx: PlatformTx, userId: string, role: PlatformRole): Promise<boolean> =>
  (await tx.query('SELECT 1 FROM platform_role_grants WHERE user_id = $1 AND role = $2 AND expires_at IS NULL', [userId, role])).length > 0;

/** Deletes grants past their expiry, one audit event each (platform_role.expired). */
export const expireElevatedGrants = async (tx: PlatformTx, now: Date): Promise<number> => {
  const rows = await tx.query<{ user_id: string; role: PlatformRole; expires_at: Date | string }>(
    'DELETE FROM platform_role_grants WHERE expires_at <= $1 RETURNING user_id, role, expires_at',
    [now.toISOString()],
  );
  for (const r of rows) {
    await appendAuditEvent(tx, {
      actor: { type: 'system', id: 'approvals' },
      action: 'platform_role.expired',
      target: `user:${r.user_id}`,
      details: { role: r.role, expiredAt: new Date(r.expires_at).toISOString() },
    });
  }
  return rows.length;
};
