import { randomUUID } from 'node:crypto';
import type { SessionInfo, SessionTokens } from '../../shared/identity/schemas';
import { SESSION_POLICY } from '../../shared/policy/identity';
import type { SessionFlag } from '../../shared/sessions/schemas';
import type { PlatformTx } from '../db/db';
import { newAccessToken, newRefreshToken, sha256Hex } from './session-tokens';

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly idleTimeoutSeconds: number;
  readonly absoluteExpiresAt: Date;
  readonly revokedAt: Date | null;
  readonly revokedReason: string | null;
  readonly stepUpUntil: Date | null;
}

export interface SessionRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  created_at: Date | string;
  last_seen_at: Date | string;
  idle_timeout_seconds: number;
  absolute_expires_at: Date | string;
  revoked_at: Date | string | null;
  revoked_reason: string | null;
  step_up_until: Date | string | null;
  /** The limits of the policies in force now (see POLICY_LIMITS). */
  policy_idle_seconds?: number | null;
  policy_absolute_seconds?: number | null;
}

const date = (d: Date | string): Date => new Date(d);
const maybeDate = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  createdAt: date(r.created_at),
  lastSeenAt: date(r.last_seen_at),
  idleTimeoutSeconds: r.policy_idle_seconds ?? r.idle_timeout_seconds,
  absoluteExpiresAt:
    r.policy_absolute_seconds === null || r.policy_absolute_seconds === undefined
      ? date(r.absolute_expires_at)
      : new Date(date(r.created_at).getTime() + r.policy_absolute_seconds * 1000),
  revokedAt: maybeDate(r.revoked_at),
  revokedReason: r.revoked_reason,
  stepUpUntil: maybeDate(r.step_up_until),
});

/**
 * The session's limits from its user's tenants' policies as they stand now (the
 * strictest of their ACTIVE memberships' (a tenant that merely invited them sets
 * nothing), never looser than the defaults: effectiveSessionLimits in SQL), so a
 * policy change applies to existing sessions at their next validation. The stored
 * columns keep the limits of the day the session began, for the record. In a
 * tenant-scoped transaction RLS shows only that tenant's policy: use
 * currentLimitsOf (platform) where the exact figure matters.
 */
const policyLimit = (column: 'idle_timeout_seconds' | 'absolute_timeout_seconds', fallback: number): string =>
  `LEAST(${fallback}, (SELECT min(COALESCE(p.${column}, ${fallback})) FROM memberships m
     LEFT JOIN tenant_security_policies p ON p.tenant_id = m.tenant_id WHERE m.user_id = s.user_id AND m.status = 'active'))`;
export const POLICY_LIMITS = `${policyLimit('idle_timeout_seconds', SESSION_POLICY.defaultIdleTimeout)} AS policy_idle_seconds,
  ${policyLimit('absolute_timeout_seconds', SESSION_POLICY.defaultAbsoluteTimeout)} AS policy_absolute_seconds`;

export const SESSION_COLUMNS = `s.id, s.user_id, s.created_at, s.last_seen_at, s.idle_timeout_seconds, s.absolute_expires_at, s.revoked_at, s.revoked_reason, s.step_up_until,
  ${POLICY_LIMITS}`;

export const idleExpiresAt = (s: SessionRecord): Date => new Date(Math.min(s.lastSeenAt.getTime() + s.idleTimeoutSeconds * 1000, s.absoluteExpiresAt.getTime()));

/** 'ok', or why the session can no longer be used. */
export const sessionState = (s: SessionRecord, now: Date): 'ok' | 'revoked' | 'expired' => {
  if (s.revokedAt) return 'revoked';
  if (now >= s.absoluteExpiresAt || now >= idleExpiresAt(s)) return 'expired';
  return 'ok';
};

export const sessionInfo = (s: SessionRecord): SessionInfo => ({
  id: s.id,
  createdAt: s.createdAt.toISOString(),
  idleExpiresAt: idleExpiresAt(s).toISOString(),
  absoluteExpiresAt: s.absoluteExpiresAt.toISOString(),
  stepUpUntil: s.stepUpUntil?.toISOString() ?? null,
});

const issueTokens = async (tx: PlatformTx, s: SessionRecord, now: Date): Promise<SessionTokens> => {
  const accessToken = newAccessToken();
  const refreshToken = newRefreshToken();
  const accessExpiresAt = new Date(Math.min(now.getTime() + SESSION_POLICY.accessTokenTtl * 1000, s.absoluteExpiresAt.getTime()));
  await tx.query(
    `INSERT INTO session_tokens (token_sha256, session_id, kind, created_at, expires_at) VALUES
       ($1, $3, 'access', $4, $5), ($2, $3, 'refresh', $4, $6)`,
    [sha256Hex(accessToken), sha256Hex(refreshToken), s.id, now.toISOString(), accessExpiresAt.toISOString(), s.absoluteExpiresAt.toISOString()],
  );
  return { accessToken, accessExpiresAt: accessExpiresAt.toISOString(), refreshToken, session: sessionInfo(s) };
};

export const storedUserAgent = (userAgent: string | null): string | null => userAgent?.slice(0, 512) ?? null;

export interface NewSession {
  readonly userId: string;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly flags?: readonly SessionFlag[];
}

export const createSession = async (tx: PlatformTx, input: NewSession, now: Date): Promise<{ session: SessionRecord; tokens: SessionTokens }> => {
  const rows = await tx.query<SessionRow>(
    `INSERT INTO sessions AS s (id, user_id, created_at, last_seen_at, idle_timeout_seconds, absolute_expires_at, ip, user_agent, anomaly_flags)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8) RETURNING ${SESSION_COLUMNS}`,
    [
      randomUUID(),
      input.userId,
      now.toISOString(),
      input.idleTimeout,
      new Date(now.getTime() + input.absoluteTimeout * 1000).toISOString(),
      input.ip,
      storedUserAgent(input.userAgent),
      [...(input.flags ?? [])],
    ],
  );
  const session = toSession(rows[0] as SessionRow);
  return { session, tokens: await issueTokens(tx, session, now) };
};

export interface TokenLookup {
  readonly session: SessionRecord;
  readonly tokenExpiresAt: Date;
  readonly usedAt: Date | null;
}

export const findByToken = async (tx: PlatformTx, tokenSha256: string, kind: 'access' | 'refresh', forUpdate = false): Promise<TokenLookup | null> => {
  const rows = await tx.query<SessionRow & { expires_at: Date | string; used_at: Date | string | null; token_sha256: string }>(
    `SELECT ${SESSION_COLUMNS}, t.expires_at, t.used_at, t.token_sha256
       FROM session_tokens t JOIN sessions s ON s.id = t.session_id
      WHERE t.token_sha256 = $1 AND t.kind = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [tokenSha256, kind],
  );
  const r = rows[0];
  if (!r) return null;
  return { session: toSession(r), tokenExpiresAt: date(r.expires_at), usedAt: maybeDate(r.used_at) };
};

/** Moves last_seen_at forward, at most once a minute (one write per session per minute, not per request). */
export const touchSession = async (tx: PlatformTx, sessionId: string, now: Date): Promise<void> => {
  await tx.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $3', [
    sessionId,
    now.toISOString(),
    new Date(now.getTime() - 60_000).toISOString(),
  ]);
};

/** Rotates: marks the refresh token used (only once: false when another request used it first) and issues a new pair. */
export const rotateRefreshToken = async (tx: PlatformTx, refreshSha256: string, session: SessionRecord, now: Date): Promise<SessionTokens | null> => {
  const used = await tx.query('UPDATE session_tokens SET used_at = $2 WHERE token_sha256 = $1 AND used_at IS NULL RETURNING token_sha256', [
    refreshSha256,
    now.toISOString(),
  ]);
  if (used.length !== 1) return null;
  await tx.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [session.id, now.toISOString()]);
  return issueTokens(tx, { ...session, lastSeenAt: now }, now);
};

export const revokeSession = async (tx: PlatformTx, sessionId: string, reason: 'logout' | 'refresh_reuse' | 'revoked', now: Date): Promise<void> => {
  await tx.query('UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL', [sessionId, now.toISOString(), reason]);
};

export const setStepUp = async (tx: PlatformTx, sessionId: string, until: Date): Promise<void> => {
  await tx.query('UPDATE sessions SET step_up_until = $2 WHERE id = $1', [sessionId, until.toISOString()]);
};

export const getSession = async (tx: PlatformTx, sessionId: string): Promise<SessionRecord | null> => {
  const rows = await tx.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = $1`, [sessionId]);
  return rows[0] ? toSession(rows[0]) : null;
};
