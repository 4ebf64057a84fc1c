import { can, PERMISSIONS, type Action } from '../../shared/identity/permissions';
import type { TenantId } from '../../shared/tenants/tenant';
import type { Principal } from '../auth/principal';
import { ApiError } from '../http/api-error';

/**
 * Where the caller reaches a person for an action: the whole account (platform
 * staff holding the action), or the tenants where their own role allows it
 * (suspended ones left out: nothing is done in a suspended tenant by its members).
 */
export type PersonScope = { readonly kind: 'platform' } | { readonly kind: 'tenants'; readonly tenantIds: readonly TenantId[] };

export const scopeFor = (p: Principal, action: Action): PersonScope => {
  const rule = PERMISSIONS[action];
  if (p.grants.platformRoles.some((r) => (rule.platformRoles as readonly string[]).includes(r))) return { kind: 'platform' };
  const suspended = p.kind === 'operator' ? [] : p.suspendedTenantIds;
  const tenantIds = p.grants.memberships
    .filter((m) => can({ platformRoles: [], memberships: [m] }, action, m.tenantId) && !suspended.includes(m.tenantId.toLowerCase()))
    .map((m) => m.tenantId as TenantId);
  return { kind: 'tenants', tenantIds: [...new Set(tenantIds)].sort() };
};

/** The same answer for a person who does not exist and one the caller may not see. */
export const NO_PERSON = () => new ApiError(404, 'not_found', 'No person with this id that you may see.');

export const CUT_OFF_SELF = () =>
  new ApiError(403, 'cut_off_self', 'You cannot cut off your own access; sign out, or ask another admin if your account is compromised.');

export const isSelf = (p: Principal, userId: string): boolean => p.kind !== 'operator' && p.userId === userId;
