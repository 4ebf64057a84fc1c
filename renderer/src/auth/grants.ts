import type { Me } from '../../../shared/identity/schemas';
import { can, type Action, type Grants } from '../../../shared/identity/permissions';
import { PLATFORM_ROLE_LABELS, TENANT_ROLE_LABELS } from '../../../shared/identity/roles';

export const grantsOf = (me: Me): Grants => ({
  platformRoles: me.platformRoles,
  memberships: me.memberships.map((m) => ({ tenantId: m.tenantId, role: m.role })),
});

/** Whether to show an action: the shared matrix, as the service checks it (which still has the last word). */
export const allowed = (me: Me | null, action: Action, tenantId: string | null): boolean => me !== null && can(grantsOf(me), action, tenantId);

/** The role that applies to `me` in a tenant, as the header shows it: the tenant role, else the platform role(s). */
export function roleLabel(me: Me, tenantId: string | null): string {
  const membership = tenantId === null ? undefined : me.memberships.find((m) => m.tenantId === tenantId);
  const platform = me.platformRoles.map((r) => PLATFORM_ROLE_LABELS[r]);
  if (membership) {
    const tenantRole = `${TENANT_ROLE_LABELS[membership.role]} in ${membership.tenantName}`;
    return platform.length > 0 ? `${tenantRole} · ${platform.join(', ')}` : tenantRole;
  }
  if (platform.length > 0) return platform.join(', ');
  if (tenantId !== null) return 'No role in this tenant';
  return me.memberships.length === 1 && me.memberships[0]
    ? `${TENANT_ROLE_LABELS[me.memberships[0].role]} in ${me.memberships[0].tenantName}`
    : `Member of ${me.memberships.length} tenants`;
}
