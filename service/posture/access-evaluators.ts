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

/** Platform roles reach every tenant, so each tenant's posture shows the platform's standing grants too. */
export const noBreakGlassEvaluator: Evaluator = async ({ platform, now }) => {
  const [row] = await platform.query<{ standing: number | string; bounded: number | string }>(
    `SELECT count(*) FILTER (WHERE expires_at IS NULL) AS standing, count(*) FILTER (WHERE expires_at IS NOT NULL AND expires_at > $1) AS bounded FROM platform_role_grants`,
    [now],
  );
  const evidence = { standingGrants: count(row?.standing), grantsWithExpiry: count(row?.bounded) };
  return { status: evidence.standingGrants > thresholds('access.no_break_glass').standingGrantsAllowed ? 'fail' : 'pass', evidence };
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
