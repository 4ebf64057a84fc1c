import { SESSION_POLICY } from '../../shared/policy/identity';
import type { PlatformTx, TenantTx } from '../db/db';
import { platformStaffAmong } from '../members/account-reach';
import { currentLimitsOf } from './session-admin-repository';

/**
 * Live sessions counted in SQL, as the Sessions view would list them: unrevoked
 * sessions of the tenant's active members (RLS and an explicit membership test),
 * unexpired under each person's current limits (which span their tenants, so
 * they come from the platform scope and are passed in), without platform staff's
 * unless the caller acts for the platform. Current limits are never looser than
 * the defaults, so sessions idle or old beyond those are not even considered.
 */
const CANDIDATES = `FROM sessions s
  WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = s.user_id AND m.tenant_id = $1 AND m.status = 'active')
    AND s.revoked_at IS NULL
    AND s.last_seen_at > $2::timestamptz - make_interval(secs => ${SESSION_POLICY.defaultIdleTimeout})
    AND s.created_at > $2::timestamptz - make_interval(secs => ${SESSION_POLICY.defaultAbsoluteTimeout})`;

export const countLiveSessions = async (tx: { tenant: TenantTx; platform: PlatformTx }, c: { now: Date; forPlatform: boolean }): Promise<number> => {
  const at = c.now.toISOString();
  const users = (await tx.tenant.query<{ user_id: string }>(`SELECT DISTINCT s.user_id ${CANDIDATES}`, [tx.tenant.tenantId, at])).map((r) => r.user_id);
  if (users.length === 0) return 0;
  const staff = c.forPlatform ? new Set<string>() : await platformStaffAmong(tx.platform, users, c.now);
  const limits = await currentLimitsOf(tx.platform, users);
  const counted = users.filter((u) => !staff.has(u) && limits.has(u));
  const rows = await tx.tenant.query<{ n: number | string }>(
    `SELECT count(*) AS n ${CANDIDATES.replace('FROM sessions s', 'FROM sessions s JOIN unnest($3::uuid[], $4::int[], $5::int[]) AS l(user_id, idle, abs) ON l.user_id = s.user_id')}
        AND $2::timestamptz < LEAST(s.last_seen_at + make_interval(secs => l.idle), s.created_at + make_interval(secs => l.abs))`,
    [
      tx.tenant.tenantId,
      at,
      counted,
      counted.map((u) => limits.get(u)?.idleTimeoutSeconds ?? 0),
      counted.map((u) => limits.get(u)?.absoluteTimeoutSeconds ?? 0),
    ],
  );
  return Number(rows[0]?.n ?? 0);
};
