import type { endpoints } from '../../shared/api/endpoints';
import { APPROVAL_PERMISSION, PLATFORM_SCOPE_ID, type ApprovalSubject } from '../../shared/approvals/schemas';
import { can } from '../../shared/identity/permissions';
import { APPROVAL_POLICY } from '../../shared/policy/approvals';
import type { TenantId } from '../../shared/tenants/tenant';
import type { Principal } from '../auth/principal';
import type { Db, PlatformTx, ScopedTx } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { authorize } from '../http/route-table';
import { getUserProfile } from '../identity/user-repository';
import { countOwners, getMember } from '../members/member-repository';
import { actsForPlatform, platformStaffAmong, STAFF_UNREACHABLE } from '../members/account-reach';
import { runApprovedAction } from './approved-actions';
import { expireElevatedGrants, holdsStandingRole } from './elevated-access';
import {
  insertApprovalRequest,
  isPlatformScope,
  listApprovalRequests,
  lockApprovalRequest,
  recordDecision,
  toApprovalRequest,
  type ApprovalRecord,
} from './approval-repository';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/**
 * Only people make and decide requests. Operator API tokens (platform_admin) are
 * already refused by the step-up every approval permission carries; this says so
 * plainly, so no machine credential is ever one of the two persons.
 */
const personOf = (p: Principal | null): UserPrincipal => {
  if (!p) throw new Error('unauthenticated');
  if (p.kind !== 'user') throw new ApiError(403, 'forbidden', 'Approvals are made and decided by people; an API token cannot.');
  return p;
};

const orThrow = <T>(result: T | ApiError): T => {
  if (result instanceof ApiError) throw result;
  return result;
};

const inScope = <T>(db: Db, tenantId: string, fn: (tx: ScopedTx) => Promise<T>): Promise<T> =>
  isPlatformScope(tenantId) ? db.platform(fn) : db.tenant(tenantId as TenantId, fn);

/** The request's scope, with the platform's view of the same transaction (an approved action may need to read across tenants). */
const inScopeWithPlatform = <T>(db: Db, tenantId: string, fn: (tx: ScopedTx, platform: PlatformTx) => Promise<T>): Promise<T> =>
  isPlatformScope(tenantId) ? db.platform((tx) => fn(tx, tx)) : db.tenantAndPlatform(tenantId as TenantId, (t) => fn(t.tenant, t.platform));

/** May this person decide this request (apart from step-up): the action's permission in its scope, and not their own or about themselves. */
const mayDecide = (p: UserPrincipal, r: ApprovalRecord): boolean =>
  can(p.grants, APPROVAL_PERMISSION[r.subject.action], isPlatformScope(r.tenantId) ? null : r.tenantId) && !isSelf(p, r);

/** One's own request, or a platform role for oneself: a second person must decide. */
const isSelf = (p: UserPrincipal, r: ApprovalRecord): boolean =>
  r.requestedBy.userId === p.userId || (r.subject.action === 'platform_role.grant' && r.subject.userId === p.userId);

/** Records a pending request: the action runs only when another person approves it (approveRequest). */
export const requestApproval = async (
  db: Db,
  principal: Principal | null,
  tenantId: TenantId | null,
  subject: ApprovalSubject,
  reason: string,
  requestId: string,
  now: Date,
) => {
  const p = personOf(principal);
  const expiresAt = new Date(now.getTime() + APPROVAL_POLICY.requestTtl * 1000);
  const record = await inScope(db, tenantId ?? PLATFORM_SCOPE_ID, (tx) =>
    insertApprovalRequest(tx, { subject, reason, requester: { userId: p.userId, email: p.email }, now, expiresAt, requestId }),
  );
  return toApprovalRequest(record, p.userId, false);
};

export const approvalHandlers = ({ db, now }: HandlerDeps) => {
  /** Marks a pending request past its expiry as expired (audited), in its own scope; returns it as it now stands. */
  const expireIfDue = async (r: ApprovalRecord, at: Date): Promise<ApprovalRecord> => {
    if (r.status !== 'pending' || at < r.expiresAt) return r;
    return inScope(db, r.tenantId, async (tx) => {
      const locked = await lockApprovalRequest(tx, r.id);
      if (!locked || locked.status !== 'pending') return locked ?? r;
      return recordDecision(tx, locked, { status: 'expired', by: null, comment: null, at, result: null, requestId: null });
    });
  };

  const decide = (decision: 'approved' | 'denied') =>
    (async ({ params, body, principal, requestId }) => {
      const p = personOf(principal);
      const platform = isPlatformScope(params.tenantId);
      // Nothing about a scope is revealed to those with no part in it.
      if (platform ? p.grants.platformRoles.length === 0 : !can(p.grants, 'tenants.read', params.tenantId)) {
        throw new ApiError(403, 'forbidden', 'You have no role in this scope.');
      }
      const at = now();
      const comment = body.comment === '' ? null : body.comment;
      const result = await inScopeWithPlatform(db, params.tenantId, async (tx, platform) => {
        const request = await lockApprovalRequest(tx, params.approvalId);
        if (!request) return new ApiError(404, 'not_found', 'No approval request with this id here.');
        const denied = authorize(p, APPROVAL_PERMISSION[request.subject.action], platform ? null : params.tenantId, at);
        if (denied) return denied;
        if (request.status === 'expired') return new ApiError(409, 'approval_expired', 'This request expired undecided; ask for it again.');
        if (request.status !== 'pending') return new ApiError(409, 'approval_decided', `This request was already ${request.status}.`);
        if (isSelf(p, request)) return new ApiError(403, 'approval_self', 'A second person must decide this request, not its requester or its beneficiary.');
        if (at >= request.expiresAt) {
          // Observed now: recorded (and committed) as expired; the action does not run.
          await recordDecision(tx, request, { status: 'expired', by: null, comment: null, at, result: null, requestId });
          return new ApiError(409, 'approval_expired', 'This request expired undecided; ask for it again.');
        }
        const outcome = decision === 'approved' ? await runApprovedAction({ tx, platform }, request, p, requestId, at) : null;
        return recordDecision(tx, request, { status: decision, by: { userId: p.userId, email: p.email }, comment, at, result: outcome, requestId });
      });
      return toApprovalRequest(orThrow(result), p.userId, false);
    }) satisfies HandlerTable<typeof endpoints>['approveRequest'];

  return {
    requestMemberRemoval: async ({ params, body, principal, requestId }) => {
      const p = personOf(principal);
      const userIds = [...new Set(body.userIds)];
      orThrow(
        await db.tenantAndPlatform(params.tenantId, async ({ tenant: tx, platform }) => {
          const members = await Promise.all(userIds.map((id) => getMember(tx, id)));
          if (members.some((m) => m === null)) return new ApiError(404, 'not_found', 'Some of these users are not members of this tenant.');
          if (!actsForPlatform(p) && (await platformStaffAmong(platform, userIds, now())).size > 0) return STAFF_UNREACHABLE();
          const owners = members.filter((m) => m?.role === 'owner').length;
          const isOwner = p.grants.memberships.some((m) => m.tenantId === params.tenantId && m.role === 'owner');
          if (owners > 0 && !isOwner && p.grants.platformRoles.length === 0) {
            return new ApiError(403, 'forbidden', 'Only an owner can remove an owner.');
          }
          // countOwners counts active owners only: so must this.
          const activeOwners = members.filter((m) => m?.role === 'owner' && m.status === 'active').length;
          if (activeOwners > 0 && (await countOwners(tx)) - activeOwners < 1) {
            return new ApiError(409, 'last_owner', 'This would remove every owner of the tenant; make someone else owner first.');
          }
          return null;
        }),
      );
      return requestApproval(db, p, params.tenantId, { action: 'members.bulk_remove', userIds }, body.reason, requestId, now());
    },

    requestPlatformRole: async ({ body, principal, requestId }) => {
      const p = personOf(principal);
      orThrow(
        await db.platform(async (tx) => {
          const user = await getUserProfile(tx, body.userId);
          if (!user || user.status !== 'active') return new ApiError(404, 'not_found', 'No active user with this id.');
          if (await holdsStandingRole(tx, body.userId, body.role)) return new ApiError(409, 'conflict', 'This person already holds this role without a time limit.');
          return null;
        }),
      );
      return requestApproval(db, p, null, { action: 'platform_role.grant', userId: body.userId, role: body.role, hours: body.hours }, body.reason, requestId, now());
    },

    listApprovals: async ({ principal }) => {
      const p = personOf(principal);
      const at = now();
      const staff = p.grants.platformRoles.length > 0;
      // Platform staff act in every tenant: one platform-scope read; members read each of their tenants in its own scope.
      const records = staff
        ? await db.platform(async (tx) => {
            await expireElevatedGrants(tx, at);
            return listApprovalRequests(tx, p.userId);
          })
        : (await Promise.all(p.grants.memberships.map((m) => db.tenant(m.tenantId as TenantId, (tx) => listApprovalRequests(tx, p.userId))))).flat();
      const current = await Promise.all(records.map((r) => expireIfDue(r, at)));
      return {
        items: current
          .filter((r) => r.requestedBy.userId === p.userId || r.decidedBy?.userId === p.userId || (r.status === 'pending' && mayDecide(p, r)))
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
          .map((r) => toApprovalRequest(r, p.userId, mayDecide(p, r))),
      };
    },

    withdrawRequest: async ({ params, principal, requestId }) => {
      const p = personOf(principal);
      const platform = isPlatformScope(params.tenantId);
      if (platform ? p.grants.platformRoles.length === 0 : !can(p.grants, 'tenants.read', params.tenantId)) {
        throw new ApiError(403, 'forbidden', 'You have no role in this scope.');
      }
      const at = now();
      const result = await inScope(db, params.tenantId, async (tx) => {
        const request = await lockApprovalRequest(tx, params.approvalId);
        if (!request) return new ApiError(404, 'not_found', 'No approval request with this id here.');
        if (request.requestedBy.userId !== p.userId) return new ApiError(403, 'approval_not_yours', 'Only the person who made a request can withdraw it; you may deny it instead.');
        if (request.status === 'expired') return new ApiError(409, 'approval_expired', 'This request already expired undecided; there is nothing to withdraw.');
        if (request.status !== 'pending') return new ApiError(409, 'approval_decided', `This request was already ${request.status}.`);
        if (at >= request.expiresAt) {
          await recordDecision(tx, request, { status: 'expired', by: null, comment: null, at, result: null, requestId });
          return new ApiError(409, 'approval_expired', 'This request already expired undecided; there is nothing to withdraw.');
        }
        return recordDecision(tx, request, { status: 'withdrawn', by: { userId: p.userId, email: p.email }, comment: null, at, result: null, requestId });
      });
      return toApprovalRequest(orThrow(result), p.userId, false);
    },

    approveRequest: decide('approved'),
    denyRequest: decide('denied'),
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
