import type { SessionTokens } from '../../shared/identity/schemas';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db, PlatformTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { findByToken, revokeSession, rotateRefreshToken, sessionState } from './session-repository';
import { isRefreshToken, sha256Hex } from './session-tokens';

const commitThenThrow = async <T>(db: Db, fn: (tx: PlatformTx) => Promise<T | ApiError>): Promise<T> => {
  const result = await db.platform(fn);
  if (result instanceof ApiError) throw result;
  return result;
};

const INVALID = () => new ApiError(401, 'invalid_token', 'The refresh token is not valid.');
const REVOKED = () => new ApiError(401, 'session_revoked', 'The session was ended; sign in again.');

/**
 * POST /v1/auth/refresh: rotation with theft detection. Each refresh token works
 * once; presenting a used one (a copy in someone else's hands, or the real
 * client after the thief refreshed) ends the whole session.
 */
export const refreshSession = (db: Db, now: Date, refreshToken: string, requestId: string): Promise<SessionTokens> =>
  commitThenThrow(db, async (tx): Promise<SessionTokens | ApiError> => {
    if (!isRefreshToken(refreshToken)) return INVALID();
    const hash = sha256Hex(refreshToken);
    const found = await findByToken(tx, hash, 'refresh', true);
    if (!found) return INVALID();
    const { session } = found;
    const reuse = async () => {
      await revokeSession(tx, session.id, 'refresh_reuse', now);
      await appendAuditEvent(tx, {
        actor: { type: 'system', id: 'sessions' },
        action: 'session.refresh_reuse',
        target: `session:${session.id}`,
        outcome: 'denied',
        requestId,
        details: { userId: session.userId },
      });
      return REVOKED();
    };
    const state = sessionState(session, now);
    if (state === 'revoked') return REVOKED();
    if (found.usedAt) return reuse();
    if (state === 'expired') return new ApiError(401, 'session_expired', 'The session has expired; sign in again.');
    return (await rotateRefreshToken(tx, hash, session, now)) ?? reuse();
  });

/** POST /v1/auth/logout */
export const endSession = (db: Db, now: Date, sessionId: string, userId: string, requestId: string): Promise<void> =>
  db.platform(async (tx) => {
    await revokeSession(tx, sessionId, 'logout', now);
    await appendAuditEvent(tx, { actor: { type: 'user', id: userId }, action: 'auth.logout', target: `session:${sessionId}`, requestId, details: {} });
  });
