import { PLATFORM_TENANT_ID } from '../db/db';
import { DAY_MS, count, thresholds, type Evaluator } from './evaluator';

interface FlagCounts extends Record<string, unknown> {
  flagged: number | string;
  reviewed: number | string;
  overdue: number | string;
  suspicious: number | string;
}

/** $1 the scope's id (reviews are kept under it), $2 the window's start, $3 the review deadline; $4 is each scope's own. */
const COUNTS = `SELECT count(*) AS flagged, count(r.session_id) AS reviewed,
        count(*) FILTER (WHERE r.session_id IS NULL AND s.created_at < $3) AS overdue,
        count(*) FILTER (WHERE r.outcome = 'suspicious') AS suspicious
   FROM sessions s LEFT JOIN session_flag_reviews r ON r.tenant_id = $1 AND r.session_id = s.id
  WHERE cardinality(s.anomaly_flags) > 0 AND s.created_at >= $2`;

/** A tenant's active members but the platform's staff ($4: their ids). */
const OF_TENANT_MEMBERS = "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = s.user_id AND m.tenant_id = $1 AND m.status = 'active') AND NOT (s.user_id = ANY($4::uuid[]))";
/** The platform's staff: a role in force at $4. */
const OF_STAFF = 'EXISTS (SELECT 1 FROM platform_role_grants g WHERE g.user_id = s.user_id AND (g.expires_at IS NULL OR g.expires_at > $4))';

/**
 * Flagged sign-ins (service/sessions/anomaly.ts) of the last 90 days and the
 * reviews made of them (migration 0022): a tenant's active members' sessions
 * reviewed by the tenant (its staff members are the platform's to review), or
 * the platform staff's sessions reviewed under the nil id. One waiting past the
 * review window fails; one still within it warns.
 */
export const anomalousSignInsEvaluator: Evaluator = async ({ tenant, platform, now }) => {
  const t = thresholds('auth.anomalous_sign_ins');
  const window = [new Date(now.getTime() - t.windowDays * DAY_MS), new Date(now.getTime() - t.reviewWithinDays * DAY_MS)];
  let row: FlagCounts | undefined;
  if (tenant) {
    // The tenant's scope cannot see who is staff: the platform's grants are asked first.
    const staff = await platform.query<{ user_id: string }>('SELECT DISTINCT user_id FROM platform_role_grants WHERE expires_at IS NULL OR expires_at > $1', [now]);
    [row] = await tenant.query<FlagCounts>(`${COUNTS} AND ${OF_TENANT_MEMBERS}`, [tenant.tenantId, ...window, staff.map((r) => r.user_id)]);
  } else {
    [row] = await platform.query<FlagCounts>(`${COUNTS} AND ${OF_STAFF}`, [PLATFORM_TENANT_ID, ...window, now]);
  }
  const [flagged, reviewed, overdue] = [count(row?.flagged), count(row?.reviewed), count(row?.overdue)];
  const evidence = {
    flagged90: flagged,
    reviewed90: reviewed,
    awaitingReview: flagged - reviewed,
    overdueReviews: overdue,
    suspicious90: count(row?.suspicious),
    reviewWithinDays: t.reviewWithinDays,
  };
  if (overdue > 0) return { status: 'fail', evidence };
  return { status: flagged > reviewed ? 'warn' : 'pass', evidence };
};
