import type { Member } from '../../shared/identity/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { PlatformTx, TenantTx } from '../db/db';
import { revokeMemberApiTokens } from '../api-tokens/api-token-repository';
import { getMember, countOwners, setMemberStatus, refreshMembershipCopies } from './member-repository';
import { ApiError } from '../http/api-error';
import type { Principal } from '../auth/principal';
import { actsForPlatform, reachOf, recordInTenants, refuseAccountWide, STAFF_UNREACHABLE } from './account-reach';

/** The views of one transaction that member access changes need (db.tenantAndPlatform). */
export interface AccessTx {
  readonly tenant: TenantTx;
  readonly platform: PlatformTx;
  /** Another tenant's scope in the same transaction: its log records account-wide actions on its members. */
  readonly tenantOf: (other: TenantId) => TenantTx;
}

export interface AccessChange {
  readonly principal: Principal;
  readonly actor: Actor;
  readonly requestId: string;
  readonly now: Date;
}

/**
 * Ends every live session of the user (all their access and refresh tokens) and
 * every sign-in still waiting for a second factor. Sessions span tenants, so
 * this ends their sessions everywhere; they sign in again for other tenants.
 */
export const endUserAccess = async (tx: PlatformTx, userId: string, now: Date): Promise<number> => {
  const ended = await tx.query("UPDATE sessions SET revoked_at = $2, revoked_reason = 'revoked' WHERE user_id = $1 AND revoked_at IS NULL RETURNING id", [
    userId,
    now.toISOString(),
  ]);
  await tx.query('UPDATE sign_in_challenges SET consumed_at = $2 WHERE user_id = $1 AND consumed_at IS NULL', [userId, now.toISOString()]);
  return ended.length;
};

const isOwnerOf = (p: Principal, tenantId: string) => p.grants.memberships.some((m) => m.tenantId === tenantId && m.role === 'owner');
/**
 * A tenant's admins manage its members, not the operator's staff who happen to
 * be members: those are managed by platform staff.
 */
const refuseForPlatformStaff = async (tx: AccessTx, userId: string, c: AccessChange): Promise<ApiError | null> => {
  if (actsForPlatform(c.principal)) return null;
  return (await reachOf(tx.platform, userId, tx.tenant.tenantId, c.now)).platformStaff ? STAFF_UNREACHABLE() : null;
};

const NOT_FOUND = () => new ApiError(404, 'not_found', 'No member with this id in this tenant.');

/**
 * Deactivates a member: no access to the tenant, and their API tokens here end,
 * in this transaction. Their sessions end too only when this tenant is all they
 * serve (an active member with no other active tenant): otherwise they keep
 * serving the person's other tenants, whoever deactivates, and authentication
 * stops counting this membership on the very next request. Platform staff end a
 * person's sessions everywhere through the sessions routes.
 */
export const deactivateMember = async (tx: AccessTx, userId: string, c: AccessChange): Promise<Member | ApiError> => {
  const member = await getMember(tx.tenant, userId, true);
  if (!member) return NOT_FOUND();
  if (member.status === 'deactivated') return member;
  if (member.role === 'owner') {
    if (!isOwnerOf(c.principal, tx.tenant.tenantId) && !actsForPlatform(c.principal)) {
      return new ApiError(403, 'forbidden', 'Only an owner can deactivate an owner.');
    }
    if (member.status === 'active' && (await countOwners(tx.tenant)) <= 1) {
      return new ApiError(409, 'last_owner', 'This is the last owner of the tenant; make someone else owner first.');
    }
  }
  const reach = await reachOf(tx.platform, userId, tx.tenant.tenantId, c.now);
  if (reach.platformStaff && !actsForPlatform(c.principal)) return STAFF_UNREACHABLE();
  await setMemberStatus(tx.tenant, userId, 'deactivated', c.now);
  // A pending invite dies with the membership it would have activated.
  await tx.tenant.query('UPDATE member_invites SET superseded_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND accepted_at IS NULL AND superseded_at IS NULL', [
    tx.tenant.tenantId,
    userId,
    c.now.toISOString(),
  ]);
  // An invited person's sessions were never this tenant's; an active member's are when this tenant is all they serve.
  const endsSessions = member.status === 'active' && reach.otherTenants.length === 0;
  const sessionsEnded = endsSessions ? await endUserAccess(tx.platform, userId, c.now) : 0;
  // Their API tokens in this tenant end too (and stay ended if the member is reactivated).
  const apiTokensRevoked = await revokeMemberApiTokens(tx.tenant, userId, c.now);
  await appendAuditEvent(tx.tenant, {
    actor: c.actor,
    action: 'member.deactivated',
    target: `user:${userId}`,
    requestId: c.requestId,
    details: { from: member.status, sessionsEnded, apiTokensRevoked },
  });
  return { ...member, status: 'deactivated' };
};

export const reactivateMember = async (tx: AccessTx, userId: string, c: AccessChange): Promise<Member | ApiError> => {
  const member = await getMember(tx.tenant, userId, true);
  if (!member) return NOT_FOUND();
  if (member.status === 'active') return member;
  if (member.status === 'invited') return new ApiError(409, 'conflict', 'This member has not accepted their invite yet.');
  if (member.role === 'owner' && !isOwnerOf(c.principal, tx.tenant.tenantId) && !actsForPlatform(c.principal)) {
    return new ApiError(403, 'forbidden', 'Only an owner can reactivate an owner.');
  }
  const refused = await refuseForPlatformStaff(tx, userId, c);
  if (refused) return refused;
  await setMemberStatus(tx.tenant, userId, 'active', c.now);
  await refreshMembershipCopies(tx.platform, tx.tenant.tenantId, userId);
  await appendAuditEvent(tx.tenant, { actor: c.actor, action: 'member.reactivated', target: `user:${userId}`, requestId: c.requestId, details: {} });
  return (await getMember(tx.tenant, userId)) ?? { ...member, status: 'active' };
};

/**
 * Clears the member's authenticator and recovery codes and ends their sessions;
 * their next sign-in can only enrol a new authenticator, whatever their tenants'
 * policies. Account-wide: platform staff, or the person's only active tenant.
 */
export const resetMemberMfa = async (tx: AccessTx, userId: string, c: AccessChange): Promise<Member | ApiError> => {
  const member = await getMember(tx.tenant, userId, true);
  // An invited or former member's credentials are not this tenant's to touch.
  if (member?.status !== 'active') return NOT_FOUND();
  const reach = await reachOf(tx.platform, userId, tx.tenant.tenantId, c.now);
  const refused = refuseAccountWide(c.principal, reach, 'Resetting their MFA');
  if (refused) return refused;
  await tx.platform.query(
    'UPDATE user_credentials SET totp_secret_sealed = NULL, totp_last_step = NULL, mfa_enrolment_required = true WHERE user_id = $1',
    [userId],
  );
  await tx.platform.query('UPDATE users SET mfa_enrolled_at = NULL WHERE id = $1', [userId]);
  const codes = await tx.platform.query('DELETE FROM recovery_codes WHERE user_id = $1 RETURNING code_sha256', [userId]);
  const sessionsEnded = await endUserAccess(tx.platform, userId, c.now);
  const details = { wasEnrolled: member.mfaEnrolled, recoveryCodesDeleted: codes.length, sessionsEnded };
  await appendAuditEvent(tx.tenant, { actor: c.actor, action: 'mfa.reset', target: `user:${userId}`, requestId: c.requestId, details });
  await recordInTenants(tx.tenantOf, reach.otherTenants, { actor: c.actor, action: 'account.mfa_reset', userId, requestId: c.requestId, details });
  return { ...member, mfaEnrolled: false };
};
