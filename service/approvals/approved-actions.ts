import type { Principal } from '../auth/principal';
import { actorOf } from '../auth/principal';
import { appendAuditEvent } from '../audit/audit-log';
import type { PlatformTx, ScopedTx } from '../db/db';
import { actsForPlatform, platformStaffAmong, sharedMembersOf, STAFF_UNREACHABLE } from '../members/account-reach';
import { ApiError } from '../http/api-error';
import { removeMembers } from '../members/member-repository';
import { revokeAllTenantSessions } from '../sessions/session-admin-repository';
import type { ApprovalRecord } from './approval-repository';
import { expireElevatedGrants, grantElevatedRole } from './elevated-access';
import { setTenantStatus } from '../tenants/tenant-status';
import { planForAccount, runAccountCutOff } from '../people/cut-off-platform';

/**
 * Runs an approved request's action in the approval's transaction, audited with
 * the approver as actor and the request named. Throws (rolling the approval back
 * with it) when the action can no longer be done as asked.
 */
export const runApprovedAction = async (
  { tx, platform }: { tx: ScopedTx; platform: PlatformTx },
  request: ApprovalRecord,
  approver: Principal,
  requestId: string,
  now: Date,
): Promise<Record<string, number | string | null>> => {
  const actor = actorOf(approver);
  const subject = request.subject;
  const provenance = { approvalId: request.id, requestedBy: request.requestedBy.userId };
  switch (subject.action) {
    case 'sessions.revoke_tenant': {
      if (tx.scope !== 'tenant') throw new Error('tenant-wide revocation outside a tenant scope');
      // The two people who decided stay signed in: the requester's session (kept as asked) and the approver's current one.
      const kept = [subject.keepSessionId, approver.kind === 'user' ? approver.session.id : null].filter((id): id is string => id !== null);
      // Sessions that also serve another tenant (or the operator's staff) are not this tenant's to end;
      // the requester's own are theirs to end (they asked for it).
      const shared = (await sharedMembersOf(platform, tx.tenantId, now)).filter((id) => id !== request.requestedBy.userId);
      const revoked = await revokeAllTenantSessions(tx, { sessionIds: kept, userIds: shared }, now);
      await appendAuditEvent(tx, {
        actor,
        action: 'session.revoked_all_of_tenant',
        target: `tenant:${tx.tenantId}`,
        requestId,
        details: { revoked, keptSessionId: subject.keepSessionId, approverSessionId: kept[1] ?? null, membersSkipped: shared.length, ...provenance },
      });
      return { revoked };
    }
    case 'members.bulk_remove': {
      if (tx.scope !== 'tenant') throw new Error('member removal outside a tenant scope');
      // The operator's staff may have become so since the request: a tenant never removes them.
      if (!actsForPlatform(approver) && (await platformStaffAmong(platform, subject.userIds, now)).size > 0) throw STAFF_UNREACHABLE();
      const removed = await removeMembers(tx, subject.userIds, actor, requestId, provenance);
      if (removed === 'last_owner') {
        throw new ApiError(409, 'last_owner', 'This would now remove every owner of the tenant; the request stays pending.');
      }
      return { removed: removed.removed };
    }
    case 'tenant.suspend':
    case 'tenant.reinstate': {
      if (tx.scope !== 'tenant') throw new Error('tenant status change outside a tenant scope');
      const status = subject.action === 'tenant.suspend' ? 'suspended' : 'active';
      await setTenantStatus({ tenant: tx, platform }, status, { actor, requestId, now, provenance });
      return { status };
    }
    case 'account.cut_off': {
      if (tx.scope !== 'platform') throw new Error('account cut-off outside platform scope');
      const plan = await planForAccount(tx, subject.userId, now, { lock: true, approved: true });
      if (!plan) throw new ApiError(404, 'not_found', 'This person no longer exists.');
      const items = await runAccountCutOff(tx, subject.userId, plan, { actor, requestId, now, approvalId: request.id });
      const countOf = (kind: string) => items.find((i) => i.kind === kind && i.outcome === 'ok')?.count ?? 0;
      return { sessionsEnded: countOf('sessions.end'), apiTokensRevoked: countOf('api_tokens.revoke') };
    }
    case 'platform_role.grant': {
      if (tx.scope !== 'platform') throw new Error('platform role grant outside platform scope');
      await expireElevatedGrants(tx, now);
      const expiresAt = new Date(now.getTime() + subject.hours * 3600_000);
      const granted = await grantElevatedRole(tx, { userId: subject.userId, role: subject.role, at: now, expiresAt, approvalId: request.id }, actor, requestId);
      return { expiresAt: granted.expiresAt };
    }
  }
};
