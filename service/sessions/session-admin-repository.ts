import type { FlagReviewOutcome, SessionFlag, SessionSummary } from '../../shared/sessions/schemas';
import { PLATFORM_TENANT_ID, type PlatformTx, type TenantTx } from '../db/db';
import { idleExpiresAt, POLICY_LIMITS, SESSION_COLUMNS, sessionState, toSession, type SessionRecord, type SessionRow } from './session-repository';

/** Tenant-scoped reads and revocations of the sessions of a tenant's members (RLS: migration 0009). */

interface AdminRow extends SessionRow {
  ip: string | null;
  user_agent: string | null;
  anomaly_flags: SessionFlag[];
  email: string;
  display_name: string;
  review_outcome: FlagReviewOutcome | null;
  reviewed_at: Date | string | null;
  created_micros: string;
}

/**
 * Every session row here is also filtered explicitly by an ACTIVE membership (an
 * invited or former member's sessions are not the tenant's: issue 11); RLS
 * refuses the rest regardless (migration 0017).
 */
const MEMBER_OF_TENANT = "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = s.user_id AND m.tenant_id = $1 AND m.status = 'active')";

export interface ListedSession {
  readonly record: SessionRecord;
  readonly summary: Omit<SessionSummary, 'current' | 'idleExpiresAt' | 'absoluteExpiresAt'>;
}

/**
 * Unrevoked sessions within `reach`, each with the review its scope made ($1: the
 * tenant, or the platform's nil id), filtered by person ($2) and by being flagged ($3).
 */
const listedWithin = (reach: string) => `SELECT ${SESSION_COLUMNS}, (extract(epoch FROM s.created_at) * 1000000)::bigint::text AS created_micros, s.ip, s.user_agent, s.anomaly_flags, u.email, u.display_name, r.outcome AS review_outcome, r.reviewed_at
       FROM sessions s JOIN users u ON u.id = s.user_id
       LEFT JOIN session_flag_reviews r ON r.tenant_id = $1 AND r.session_id = s.id
      WHERE ${reach} AND s.revoked_at IS NULL
        AND ($2::uuid IS NULL OR s.user_id = $2)
        AND ($3::boolean IS NULL OR (cardinality(s.anomaly_flags) > 0) = $3)`;

const LISTED = listedWithin(MEMBER_OF_TENANT);

const toListed = (r: AdminRow): ListedSession => ({
  record: toSession(r),
  summary: {
    id: r.id,
    userId: r.user_id,
    email: r.email,
    displayName: r.display_name,
    userAgent: r.user_agent,
    ip: r.ip,
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    flags: r.anomaly_flags,
    ...(r.review_outcome && r.reviewed_at ? { flagReview: { outcome: r.review_outcome, reviewedAt: new Date(r.reviewed_at).toISOString() } } : {}),
  },
});

export type SessionFilter = { userId?: string | undefined; flagged?: boolean | undefined };

/** Unrevoked sessions of the tenant's members, most recently used first (expiry is judged by the caller, from current limits). */
export const listTenantSessions = async (tx: TenantTx, filter: SessionFilter): Promise<ListedSession[]> =>
  (await tx.query<AdminRow>(`${LISTED} ORDER BY s.last_seen_at DESC, s.id`, [tx.tenantId, filter.userId ?? null, filter.flagged ?? null])).map(toListed);

/** Every unrevoked session of one person, whatever tenants it serves, with the platform's own review (platform scope). */
export const listAccountSessions = async (tx: PlatformTx, userId: string): Promise<ListedSession[]> =>
  (await tx.query<AdminRow>(`${listedWithin('TRUE')} ORDER BY s.last_seen_at DESC, s.id`, [PLATFORM_TENANT_ID, userId, null])).map(toListed);

/**
 * At most `limit` unrevoked sessions of the tenant's members started before
 * `after` (start in microseconds, then id), newest start first, each with its
 * exact start in microseconds for the next position (a Date keeps milliseconds only).
 */
export const listTenantSessionsBefore = async (
  tx: TenantTx,
  filter: SessionFilter,
  page: { after: { createdMicros: string; id: string } | null; limit: number },
): Promise<{ listed: ListedSession; createdMicros: string }[]> => {
  const rows = await tx.query<AdminRow>(
    `${LISTED} AND ($4::bigint IS NULL OR (s.created_at, s.id) < ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::uuid))
      ORDER BY s.created_at DESC, s.id DESC LIMIT $6`,
    [tx.tenantId, filter.userId ?? null, filter.flagged ?? null, page.after?.createdMicros ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((r) => ({ listed: toListed(r), createdMicros: r.created_micros }));
};

export interface CurrentLimits {
  readonly idleTimeoutSeconds: number;
  readonly absoluteTimeoutSeconds: number;
}

/**
 * The limits in force for these users across all their tenants (a tenant's scope
 * sees only its own policy, and a session ends at the strictest of them).
 */
export const currentLimitsOf = async (tx: PlatformTx, userIds: readonly string[]): Promise<Map<string, CurrentLimits>> => {
  if (userIds.length === 0) return new Map();
  const rows = await tx.query<{ user_id: string; policy_idle_seconds: number; policy_absolute_seconds: number }>(
    `SELECT DISTINCT ON (s.user_id) s.user_id, ${POLICY_LIMITS}
       FROM (SELECT unnest($1::uuid[]) AS user_id) s`,
    [[...new Set(userIds)]],
  );
  return new Map(rows.map((r) => [r.user_id, { idleTimeoutSeconds: r.policy_idle_seconds, absoluteTimeoutSeconds: r.policy_absolute_seconds }]));
};

/** The summary with expiries from the current limits, or null when the session has expired under them. */
export const withCurrentLimits = (listed: ListedSession, limits: CurrentLimits | undefined, currentSessionId: string | null, now: Date): SessionSummary | null => {
  const record: SessionRecord = limits
    ? {
        ...listed.record,
        idleTimeoutSeconds: limits.idleTimeoutSeconds,
        absoluteExpiresAt: new Date(listed.record.createdAt.getTime() + limits.absoluteTimeoutSeconds * 1000),
      }
    : listed.record;
  if (sessionState(record, now) !== 'ok') return null;
  return {
    ...listed.summary,
    idleExpiresAt: idleExpiresAt(record).toISOString(),
    absoluteExpiresAt: record.absoluteExpiresAt.toISOString(),
    current: listed.record.id === currentSessionId,
  };
};

export interface SessionForRevocation {
  readonly id: string;
  readonly userId: string;
  readonly revoked: boolean;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** One session of a tenant's member, locked until the transaction ends unless `lock` is false; null when the tenant has no such session. */
export const lockTenantSession = async (tx: TenantTx, sessionId: string, lock = true): Promise<SessionForRevocation | null> => {
  const rows = await tx.query<{ id: string; user_id: string; revoked_at: Date | string | null; ip: string | null; user_agent: string | null }>(
    `SELECT s.id, s.user_id, s.revoked_at, s.ip, s.user_agent FROM sessions s WHERE ${MEMBER_OF_TENANT} AND s.id = $2${lock ? ' FOR UPDATE OF s' : ''}`,
    [tx.tenantId, sessionId],
  );
  const r = rows[0];
  return r ? { id: r.id, userId: r.user_id, revoked: r.revoked_at !== null, ip: r.ip, userAgent: r.user_agent } : null;
};

const REVOKE = `UPDATE sessions s SET revoked_at = $2, revoked_reason = 'revoked' WHERE ${MEMBER_OF_TENANT} AND s.revoked_at IS NULL`;
const counted = (update: string) => `WITH r AS (${update} RETURNING 1) SELECT count(*)::int AS n FROM r`;

export const revokeTenantSession = async (tx: TenantTx, sessionId: string, now: Date): Promise<number> =>
  (await tx.query<{ n: number }>(counted(`${REVOKE} AND s.id = $3`), [tx.tenantId, now.toISOString(), sessionId]))[0]?.n ?? 0;

export const revokeUserSessions = async (tx: TenantTx, userId: string, now: Date): Promise<number> =>
  (await tx.query<{ n: number }>(counted(`${REVOKE} AND s.user_id = $3`), [tx.tenantId, now.toISOString(), userId]))[0]?.n ?? 0;

/**
 * Every unrevoked session of the tenant's members but those kept (the requester's
 * and the approver's) and those of the people the tenant may not sign out on its
 * own (platform staff, members of other tenants: sharedMembersOf), in one statement.
 */
export const revokeAllTenantSessions = async (tx: TenantTx, except: { sessionIds: readonly string[]; userIds: readonly string[] }, now: Date): Promise<number> =>
  (
    await tx.query<{ n: number }>(counted(`${REVOKE} AND NOT (s.id = ANY($3::uuid[])) AND NOT (s.user_id = ANY($4::uuid[]))`), [
      tx.tenantId,
      now.toISOString(),
      [...except.sessionIds],
      [...except.userIds],
    ])
  )[0]?.n ?? 0;
