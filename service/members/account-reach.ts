import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, type AuditEventInput } from '../audit/audit-log';
import type { PlatformTx, TenantTx } from '../db/db';
import { ApiError } from '../http/api-error';
import type { Principal } from '../auth/principal';

/**
 * How far a tenant's admins reach into a person's account (issue 11, finding 1).
 * A session, an authenticator and recovery codes are the person's, across all
 * their tenants: wiping or ending them from one tenant is an account-wide action,
 * allowed only to platform staff, or to the tenant that is the person's only
 * active membership. The operator's staff are never reachable from a tenant.
 */

/** Platform staff (or an operator token) act for the platform, not for one tenant. */
export const actsForPlatform = (p: Principal): boolean => p.grants.platformRoles.length > 0;

export interface PersonReach {
  /** The person holds a platform role in force: managed by platform staff only. */
  readonly platformStaff: boolean;
  /** Their other tenants with an active membership (the acting tenant left out). */
  readonly otherTenants: readonly TenantId[];
}

/**
 * Holds the person's row until the transaction ends: what a tenant may do to an
 * account and an invite becoming active (acceptInvite takes it too) happen one
 * after the other, so neither acts on a reach the other is changing. Taken after
 * the caller's own membership row, never before it; NO KEY: new sessions still start.
 */
export const lockPerson = async (tx: PlatformTx, userId: string): Promise<void> => {
  await tx.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
};

export const reachOf = async (tx: PlatformTx, userId: string, tenantId: TenantId, now: Date): Promise<PersonReach> => {
  await lockPerson(tx, userId);
  const staff = await tx.query('SELECT 1 FROM platform_role_grants WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2) LIMIT 1', [
    userId,
    now.toISOString(),
  ]);
  const others = await tx.query<{ tenant_id: TenantId }>(
    "SELECT tenant_id FROM memberships WHERE user_id = $1 AND tenant_id <> $2 AND status = 'active' ORDER BY tenant_id",
    [userId, tenantId],
  );
  return { platformStaff: staff.length > 0, otherTenants: others.map((r) => r.tenant_id) };
};

/**
 * The tenant's active members whose sessions the tenant may not end on its own:
 * platform staff, and people with an active membership in another tenant.
 */
export const sharedMembersOf = async (tx: PlatformTx, tenantId: TenantId, now: Date): Promise<string[]> => {
  const rows = await tx.query<{ user_id: string }>(
    `SELECT m.user_id FROM memberships m
      WHERE m.tenant_id = $1 AND m.status = 'active'
        AND (EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = m.user_id AND o.tenant_id <> $1 AND o.status = 'active')
          OR EXISTS (SELECT 1 FROM platform_role_grants g WHERE g.user_id = m.user_id AND (g.expires_at IS NULL OR g.expires_at > $2)))`,
    [tenantId, now.toISOString()],
  );
  return rows.map((r) => r.user_id);
};

/** Platform staff among these users (a tenant's session list leaves them out). */
export const platformStaffAmong = async (tx: PlatformTx, userIds: readonly string[], now: Date): Promise<Set<string>> => {
  if (userIds.length === 0) return new Set();
  const rows = await tx.query<{ user_id: string }>(
    'SELECT DISTINCT user_id FROM platform_role_grants WHERE user_id = ANY($1::uuid[]) AND (expires_at IS NULL OR expires_at > $2)',
    [[...new Set(userIds)], now.toISOString()],
  );
  return new Set(rows.map((r) => r.user_id));
};

export const STAFF_UNREACHABLE = () => new ApiError(403, 'forbidden', "This member is on the operator's staff; ask a platform admin.");

export const ACCOUNT_WIDE = (what: string) =>
  new ApiError(
    403,
    'account_wide_action',
    `${what} would act on this person's account in other organisations too; deactivate their membership here to end their access to this tenant, or ask platform staff.`,
  );

/**
 * Whether `p`, acting in a tenant, may do an account-wide action to a person
 * with this reach: an ApiError when not.
 */
export const refuseAccountWide = (p: Principal, reach: PersonReach, what: string): ApiError | null => {
  if (reach.platformStaff && !actsForPlatform(p)) return STAFF_UNREACHABLE();
  if (actsForPlatform(p) || reach.otherTenants.length === 0) return null;
  return ACCOUNT_WIDE(what);
};

/** The tenants where the person is an active member. */
export const activeTenantsOf = async (tx: PlatformTx, userId: string): Promise<TenantId[]> =>
  (await tx.query<{ tenant_id: TenantId }>("SELECT tenant_id FROM memberships WHERE user_id = $1 AND status = 'active' ORDER BY tenant_id", [userId])).map(
    (r) => r.tenant_id,
  );

/**
 * Records an account-wide action (MFA reset, sessions ended, account locked) in
 * each of these tenants' logs (the person's other tenants), in the acting
 * transaction: they see what happened to their member's account, never which
 * tenant it was done from.
 */
export const recordInTenants = async (
  tenantOf: (id: TenantId) => TenantTx,
  tenants: readonly TenantId[],
  event: Omit<AuditEventInput, 'target'> & { readonly userId: string },
): Promise<void> => {
  const { userId, ...rest } = event;
  for (const id of tenants) await appendAuditEvent(tenantOf(id), { ...rest, target: `user:${userId}` });
};
