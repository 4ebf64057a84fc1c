import type { CutOffPlanItem, CutOffResultItem } from '../../shared/people/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent } from '../audit/audit-log';
import { ApiError } from '../http/api-error';
import { actsForPlatform, ACCOUNT_WIDE, reachOf, STAFF_UNREACHABLE } from '../members/account-reach';
import { deactivateMember, type AccessChange, type AccessTx } from '../members/member-access';
import { countOwners, getMember } from '../members/member-repository';
import { revokeMemberApiTokens } from '../api-tokens/api-token-repository';

/**
 * A tenant admin's cut-off in one of their tenants: the membership deactivated,
 * its API tokens revoked, and the person's sessions ended where this tenant is
 * all they serve (ending them otherwise is account-wide: platform staff's).
 */

type Plan = CutOffPlanItem['plan'];
const item = (kind: CutOffPlanItem['kind'], tenantId: TenantId, tenantName: string, plan: Plan, count: number | null, error: ApiError | null = null): CutOffPlanItem => ({
  kind,
  tenantId,
  tenantName,
  plan,
  count,
  code: error?.code ?? null,
  reason: error?.message ?? null,
});

const OWNER_ONLY = () => new ApiError(403, 'forbidden', 'Only an owner can deactivate an owner.');
const LAST_OWNER = () => new ApiError(409, 'last_owner', 'This is the last owner of the tenant; make someone else owner first.');

const liveTokens = async (tx: AccessTx, userId: string): Promise<number> =>
  Number(
    (await tx.tenant.query<{ n: number | string }>('SELECT count(*) AS n FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL', [tx.tenant.tenantId, userId]))[0]
      ?.n ?? 0,
  );

const liveSessions = async (tx: AccessTx, userId: string): Promise<number> =>
  Number((await tx.platform.query<{ n: number | string }>('SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL', [userId]))[0]?.n ?? 0);

/** Why the membership cannot be deactivated by this caller, if it cannot. */
const membershipRefusal = async (tx: AccessTx, role: string, status: string, c: AccessChange): Promise<ApiError | null> => {
  if (role !== 'owner') return null;
  const tenantId = tx.tenant.tenantId;
  if (!actsForPlatform(c.principal) && !c.principal.grants.memberships.some((m) => m.tenantId === tenantId && m.role === 'owner')) return OWNER_ONLY();
  return status === 'active' && (await countOwners(tx.tenant)) <= 1 ? LAST_OWNER() : null;
};

/** The plan in this tenant (null: the tenant holds no membership of this person it may show). `lock` holds the membership row. */
export const planInTenant = async (tx: AccessTx, userId: string, tenantName: string, c: AccessChange, lock: boolean): Promise<CutOffPlanItem[] | null> => {
  const t = tx.tenant.tenantId;
  const member = await getMember(tx.tenant, userId, lock);
  if (!member || member.status === 'invited') return null;
  const reach = await reachOf(tx.platform, userId, t, c.now);
  const all = (plan: Plan, error: ApiError | null) => [
    item('membership.deactivate', t, tenantName, plan, null, error),
    item('api_tokens.revoke', t, tenantName, plan, null, error),
    item('sessions.end', t, tenantName, plan, null, error),
  ];
  if (reach.platformStaff && !actsForPlatform(c.principal)) return all('refused', STAFF_UNREACHABLE());
  const tokens = await liveTokens(tx, userId);
  if (member.status === 'deactivated') {
    return [item('membership.deactivate', t, tenantName, 'done', null), item('api_tokens.revoke', t, tenantName, tokens > 0 ? 'run' : 'done', tokens), item('sessions.end', t, tenantName, 'done', 0)];
  }
  const refused = await membershipRefusal(tx, member.role, member.status, c);
  if (refused) return all('refused', refused);
  const sessions = reach.otherTenants.length === 0 ? await liveSessions(tx, userId) : null;
  return [
    item('membership.deactivate', t, tenantName, 'run', null),
    item('api_tokens.revoke', t, tenantName, tokens > 0 ? 'run' : 'done', tokens),
    sessions === null
      ? item('sessions.end', t, tenantName, 'refused', null, ACCOUNT_WIDE('Ending their sessions'))
      : item('sessions.end', t, tenantName, sessions > 0 ? 'run' : 'done', sessions),
  ];
};

const resultOf = (p: CutOffPlanItem, outcome: CutOffResultItem['outcome']): CutOffResultItem => ({
  kind: p.kind,
  tenantId: p.tenantId,
  tenantName: p.tenantName,
  outcome,
  count: p.count,
  code: outcome === 'failed' ? p.code : null,
  reason: outcome === 'failed' ? p.reason : null,
  approvalId: null,
});

/**
 * Runs the plan in this tenant, in the caller's transaction: each item audited.
 * A refused item is a failed result with the refusal's code and reason.
 */
export const cutOffInTenant = async (tx: AccessTx, userId: string, tenantName: string, c: AccessChange): Promise<CutOffResultItem[] | null> => {
  const plan = await planInTenant(tx, userId, tenantName, c, true);
  if (!plan) return null;
  const [membership, tokens, sessions] = plan as [CutOffPlanItem, CutOffPlanItem, CutOffPlanItem];
  const event = { actor: c.actor, requestId: c.requestId, target: `user:${userId}` };
  if (membership.plan === 'run') {
    const done = await deactivateMember(tx, userId, c);
    if (done instanceof ApiError) throw done;
  } else if (tokens.plan === 'run') {
    const revoked = await revokeMemberApiTokens(tx.tenant, userId, c.now);
    await appendAuditEvent(tx.tenant, { ...event, action: 'api_token.revoked_all_of_member', details: { revoked, cutOff: true } });
  }
  if (membership.plan === 'run' && tokens.plan === 'run') {
    // deactivateMember revoked them with the membership; their own event says so.
    await appendAuditEvent(tx.tenant, { ...event, action: 'api_token.revoked_all_of_member', details: { revoked: tokens.count ?? 0, cutOff: true } });
  }
  if (membership.plan === 'run' && sessions.plan === 'run') {
    // Ended by deactivateMember with the membership (this tenant is all they serve).
    await appendAuditEvent(tx.tenant, { ...event, action: 'session.revoked_all_of_user', details: { revoked: sessions.count ?? 0, cutOff: true } });
  }
  const outcome = (p: CutOffPlanItem): CutOffResultItem['outcome'] => (p.plan === 'run' ? 'ok' : p.plan === 'done' ? 'already' : 'failed');
  return plan.map((p) => resultOf(p, outcome(p)));
};
