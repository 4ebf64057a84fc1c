import { APPROVAL_PERMISSION, PLATFORM_SCOPE_ID, type ApprovalRequest, type ApprovalStatus } from '../../../../shared/approvals/schemas';
import { PERMISSIONS } from '../../../../shared/identity/permissions';
import { PLATFORM_ROLE_LABELS, TENANT_ROLE_LABELS } from '../../../../shared/identity/roles';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What a request would do, in words, naming the tenant (or the platform). */
export const describeRequest = (r: ApprovalRequest, tenantName: (id: string) => string | undefined): string => {
  const where = r.tenantId === PLATFORM_SCOPE_ID ? 'the platform' : (tenantName(r.tenantId) ?? 'a tenant');
  switch (r.subject.action) {
    case 'sessions.revoke_tenant':
      return `Revoke every session in ${where} except the requester's`;
    case 'members.bulk_remove':
      return `Remove ${plural(r.subject.userIds.length, 'member')} from ${where}`;
    case 'platform_role.grant':
      return `Grant ${PLATFORM_ROLE_LABELS[r.subject.role]} for ${plural(r.subject.hours, 'hour')}`;
    case 'tenant.suspend':
      return `Suspend ${where}`;
    case 'tenant.reinstate':
      return `Reinstate ${where}`;
    case 'account.cut_off':
      return 'Cut off a platform staff member: lock the account, end every session and API token, reset MFA';
  }
};

/** "in 3 h 20 min", "in 12 min", or "expired", from now. */
export const timeLeft = (expiresAt: string, now: Date): string => {
  const ms = new Date(expiresAt).getTime() - now.getTime();
  if (ms <= 0) return 'expired';
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `in ${hours} h` : `in ${hours} h ${minutes % 60} min`;
};

/** A pending request past its expiry shows as expired before the service records it. */
export const displayedStatus = (r: ApprovalRequest, now: Date): ApprovalStatus =>
  r.status === 'pending' && new Date(r.expiresAt) <= now ? 'expired' : r.status;

export const STATUS_INTENT: Readonly<Record<ApprovalStatus, 'none' | 'success' | 'danger' | 'warning'>> = {
  pending: 'warning',
  approved: 'success',
  denied: 'danger',
  expired: 'none',
  withdrawn: 'none',
};

/** The inbox's two lists: what waits for me (oldest deadline first), and what I asked for (newest first). */
export const splitInbox = (items: readonly ApprovalRequest[], now: Date): { toDecide: ApprovalRequest[]; mine: ApprovalRequest[] } => ({
  toDecide: items
    .filter((r) => r.canDecide && displayedStatus(r, now) === 'pending')
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)),
  mine: items.filter((r) => r.mine).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
});

const orList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/**
 * Who may decide a request, from the one permission matrix: the roles holding the action's
 * permission in its tenant (or platform roles for a platform request), never its requester
 * (nor, for a platform role, the person it is for).
 */
export const whoMayApprove = (r: ApprovalRequest, tenantName: (id: string) => string | undefined): string => {
  const rule = PERMISSIONS[APPROVAL_PERMISSION[r.subject.action]];
  const platform = rule.platformRoles.map((role) => PLATFORM_ROLE_LABELS[role].toLowerCase());
  const tenant = rule.tenantRoles.map((role) => TENANT_ROLE_LABELS[role]);
  const parts: string[] = [];
  if (r.tenantId !== PLATFORM_SCOPE_ID && tenant.length > 0) parts.push(`an ${orList(tenant)} of ${tenantName(r.tenantId) ?? 'the tenant'}`);
  if (platform.length > 0) parts.push(`a ${orList(platform)}`);
  const others = r.subject.action === 'platform_role.grant' ? 'other than the requester and the person it is for' : 'other than the requester';
  return parts.length === 0 ? 'Nobody can approve this request.' : `May be approved by ${parts.join(', or ')}, ${others}, after a fresh authenticator code.`;
};

/** Requests waiting for my decision now: the navigation's badge. */
export const pendingForMe = (items: readonly ApprovalRequest[], now: Date): number => splitInbox(items, now).toDecide.length;
