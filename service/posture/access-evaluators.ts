import { scopeTenantId } from '../db/db';
import { DAY_MS, count, percent, thresholds, type Evaluator } from './evaluator';


export const leastPrivilegeEvaluator: Evaluator = async ({ tenant, now }) => {
  if (!tenant) return { status: 'not_applicable', evidence: {} };
  const t = thresholds('access.least_privilege');
  const dormantBefore = new Date(now.getTime() - t.dormantDays * DAY_MS);
  // A privileged member who never signed in counts from when they joined.
  const [row] = await tenant.query<{ active: number | string; privileged: number | string; dormant: number | string }>(
    `SELECT count(*) AS active,
            count(*) FILTER (WHERE role IN ('owner', 'admin')) AS privileged,
            count(*) FILTER (WHERE role IN ('owner', 'admin') AND coalesce(last_sign_in_at, created_at) < $2) AS dormant
       FROM memberships WHERE tenant_id = $1 AND status = 'active'`,
    [tenant.tenantId, dormantBefore],
  );
  const [active, privileged, dormant] = [count(row?.active), count(row?.privileged), count(row?.dormant)];
  const evidence = { activeMembers: active, privileged, privilegedPercent: percent(privileged, active), dormantPrivileged: dormant, dormantDays: t.dormantDays };
  if (dormant > 0) return { status: 'fail', evidence };
  return { status: active > 0 && privileged / active > t.maxPrivilegedShareForPass ? 'warn' : 'pass', evidence };
};

export const accessReviewsEvaluator: Evaluator = async ({ tenant, now }) => {
  if (!tenant) return { status: 'not_applicable', evidence: {} };
  const { periodDays } = thresholds('access.reviews');
  const [row] = await tenant.query<{ last_closed: Date | string | null; overdue: number | string }>(
    `SELECT max(closed_at) AS last_closed, count(*) FILTER (WHERE closed_at IS NULL AND due_at < $2) AS overdue FROM access_reviews WHERE tenant_id = $1`,
    [tenant.tenantId, now],
  );
  const last = row?.last_closed ? new Date(row.last_closed) : null;
  const days = last ? Math.floor((now.getTime() - last.getTime()) / DAY_MS) : null;
  const overdue = count(row?.overdue);
  const evidence = { periodDays, daysSinceLastReview: days, overdueCampaigns: overdue };
  return { status: days !== null && days <= periodDays && overdue === 0 ? 'pass' : 'fail', evidence };
};

/**
 * The actions that need a second person (service/approvals) record the approval
 * they ran under (details.approvalId); one without it ran around the approvals:
 * a platform role provisioned by `user add --platform-role` or the demo seed.
 */
const GUARDED_ACTIONS = ['platform_role.granted', 'session.revoked_all_of_tenant', 'tenant.suspended', 'tenant.reinstated'];

/** Platform roles reach every tenant, so each tenant's posture shows the platform's standing grants too. */
export const noBreakGlassEvaluator: Evaluator = async ({ platform, tenant, now }) => {
  const [row] = await platform.query<{ standing: number | string; bounded: number | string }>(
    `SELECT count(*) FILTER (WHERE expires_at IS NULL) AS standing, count(*) FILTER (WHERE expires_at IS NOT NULL AND expires_at > $1) AS bounded FROM platform_role_grants`,
    [now],
  );
  const log = tenant ?? platform;
  const [runs] = await log.query<{ unapproved90: number | string; unapproved365: number | string }>(
    `SELECT count(*) FILTER (WHERE at >= $3) AS unapproved90, count(*) AS unapproved365 FROM audit_events
      WHERE tenant_id = $1 AND action = ANY($2) AND at >= $4 AND NOT (details ? 'approvalId')`,
    [scopeTenantId(log), GUARDED_ACTIONS, new Date(now.getTime() - 90 * DAY_MS), new Date(now.getTime() - 365 * DAY_MS)],
  );
  const evidence = {
    standingGrants: count(row?.standing),
    grantsWithExpiry: count(row?.bounded),
    guardedWithoutApproval90: count(runs?.unapproved90),
    guardedWithoutApproval365: count(runs?.unapproved365),
  };
  if (evidence.standingGrants > thresholds('access.no_break_glass').standingGrantsAllowed || evidence.guardedWithoutApproval90 > 0) return { status: 'fail', evidence };
  return { status: evidence.guardedWithoutApproval365 > 0 ? 'warn' : 'pass', evidence };
};

export const apiTokensEvaluator: Evaluator = async ({ tenant, now }) => {
  if (!tenant) return { status: 'not_applicable', evidence: {} };
  const { maxAgeDays } = thresholds('access.api_tokens');
  const [row] = await tenant.query<{ live: number | string; no_expiry: number | string; stale: number | string }>(
    `SELECT count(*) AS live, count(*) FILTER (WHERE expires_at IS NULL) AS no_expiry, count(*) FILTER (WHERE created_at < $2) AS stale
       FROM api_tokens WHERE tenant_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3)`,
    [tenant.tenantId, new Date(now.getTime() - maxAgeDays * DAY_MS), now],
  );
  const evidence = { liveTokens: count(row?.live), withoutExpiry: count(row?.no_expiry), olderThanMaxAge: count(row?.stale), maxAgeDays };
  return { status: evidence.withoutExpiry === 0 && evidence.olderThanMaxAge === 0 ? 'pass' : 'fail', evidence };
};
