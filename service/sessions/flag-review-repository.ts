import type { FlagReviewOutcome, SessionFlag } from '../../shared/sessions/schemas';
import { scopeTenantId, type ScopedTx } from '../db/db';

/** Flag reviews (migration 0022), each in its scope's own rows: a tenant's, or the platform's under the nil id. */

export const flagsOf = async (tx: ScopedTx, sessionId: string): Promise<SessionFlag[]> =>
  (await tx.query<{ anomaly_flags: SessionFlag[] }>('SELECT anomaly_flags FROM sessions WHERE id = $1', [sessionId]))[0]?.anomaly_flags ?? [];

export const isReviewed = async (tx: ScopedTx, sessionId: string): Promise<boolean> =>
  (await tx.query('SELECT 1 FROM session_flag_reviews WHERE tenant_id = $1 AND session_id = $2', [scopeTenantId(tx), sessionId])).length > 0;

export const insertFlagReview = async (tx: ScopedTx, sessionId: string, outcome: FlagReviewOutcome, now: Date): Promise<void> => {
  await tx.query('INSERT INTO session_flag_reviews (tenant_id, session_id, outcome, reviewed_at) VALUES ($1, $2, $3, $4)', [
    scopeTenantId(tx),
    sessionId,
    outcome,
    now.toISOString(),
  ]);
};

/** A platform staff member's session, locked until the transaction ends; null when it is no staff member's. */
export const lockStaffSession = async (tx: ScopedTx, sessionId: string, now: Date): Promise<{ id: string; userId: string; revoked: boolean } | null> => {
  const [r] = await tx.query<{ id: string; user_id: string; revoked_at: Date | string | null }>(
    `SELECT s.id, s.user_id, s.revoked_at FROM sessions s
      WHERE s.id = $1 AND EXISTS (SELECT 1 FROM platform_role_grants g WHERE g.user_id = s.user_id AND (g.expires_at IS NULL OR g.expires_at > $2))
      FOR UPDATE OF s`,
    [sessionId, now.toISOString()],
  );
  return r ? { id: r.id, userId: r.user_id, revoked: r.revoked_at !== null } : null;
};

export const revokeStaffSession = async (tx: ScopedTx, sessionId: string, now: Date): Promise<number> =>
  (await tx.query("UPDATE sessions SET revoked_at = $2, revoked_reason = 'revoked' WHERE id = $1 AND revoked_at IS NULL RETURNING 1", [sessionId, now.toISOString()])).length;
