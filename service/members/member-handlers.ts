import type { endpoints } from '../../shared/api/endpoints';
import type { Member } from '../../shared/identity/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import type { Principal } from '../auth/principal';
import { actorOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { deactivateMember, reactivateMember, resetMemberMfa, type AccessChange, type AccessTx } from './member-access';
import { countOwners, getMember, listMembers, setMemberRole } from './member-repository';
import { acceptInvite, createInvite } from './invites';
import { throttledAcceptance } from './invite-throttle';
import { actsForPlatform, reachOf, STAFF_UNREACHABLE } from './account-reach';
import { getMfaPolicy, setMfaPolicy } from './mfa-policy';

const orThrow = <T>(result: T | ApiError): T => {
  if (result instanceof ApiError) throw result;
  return result;
};

const signedIn = (principal: Principal | null): Principal => {
  if (!principal) throw new Error('unauthenticated');
  return principal;
};

const isOwnerOf = (p: Principal, tenantId: string) => p.grants.memberships.some((m) => m.tenantId === tenantId && m.role === 'owner');

export const memberHandlers = ({ db, now, hasher }: HandlerDeps) => {
  /** Runs one access change (deactivate, reactivate, MFA reset) in one transaction across the tenant and platform rows it touches. */
  const change = async (
    fn: (tx: AccessTx, userId: string, c: AccessChange) => Promise<Member | ApiError>,
    { params, principal, requestId }: { params: { tenantId: TenantId; userId: string }; principal: Principal | null; requestId: string },
  ): Promise<Member> => {
    const p = signedIn(principal);
    const c: AccessChange = { principal: p, actor: actorOf(p), requestId, now: now() };
    return orThrow(await db.tenantAndPlatform(params.tenantId, (tx) => fn(tx, params.userId, c)));
  };

  return {
    // The route table has checked members.read in this tenant; RLS confines the query to it.
    listMembers: async ({ params, query }) => db.tenant(params.tenantId, (tx) => listMembers(tx, query)),
    changeMemberRole: async ({ params, body, principal, requestId }) => {
      const p = signedIn(principal);
      const at = now();
      const result = await db.tenantAndPlatform(params.tenantId, async ({ tenant: tx, platform }) => {
        const member = await getMember(tx, params.userId, true);
        if (!member) return new ApiError(404, 'not_found', 'No member with this id in this tenant.');
        if (!actsForPlatform(p) && (await reachOf(platform, member.userId, params.tenantId, at)).platformStaff) return STAFF_UNREACHABLE();
        if (member.role === body.role) return member;
        // Only owners (and platform staff) grant or take away ownership: an admin can't make themselves owner.
        if ((member.role === 'owner' || body.role === 'owner') && !isOwnerOf(p, params.tenantId) && p.grants.platformRoles.length === 0) {
          return new ApiError(403, 'forbidden', 'Only an owner can grant or remove the owner role.');
        }
        if (member.role === 'owner' && member.status === 'active' && (await countOwners(tx)) <= 1) {
          return new ApiError(409, 'last_owner', 'This is the last owner of the tenant; make someone else owner first.');
        }
        await setMemberRole(tx, member.userId, member.role, body.role, actorOf(p), requestId);
        return { ...member, role: body.role };
      });
      return orThrow(result);
    },
    inviteMember: async ({ params, body, principal, requestId }) => {
      const p = signedIn(principal);
      if (body.role === 'owner' && !isOwnerOf(p, params.tenantId) && p.grants.platformRoles.length === 0) {
        throw new ApiError(403, 'forbidden', 'Only an owner can invite an owner.');
      }
      return orThrow(await db.tenantAndPlatform(params.tenantId, (tx) => createInvite(tx, body, { actor: actorOf(p), requestId, now: now() })));
    },
    // Public, but an existing account accepts only as itself: the principal of the bearer sent, if any.
    acceptInvite: async ({ body, principal, requestId, ip }) =>
      throttledAcceptance({ db, now }, { token: body.token, ip, requestId }, () => acceptInvite({ db, hasher, now }, body, principal, requestId)),
    deactivateMember: (ctx) => change(deactivateMember, ctx),
    reactivateMember: (ctx) => change(reactivateMember, ctx),
    resetMemberMfa: (ctx) => change(resetMemberMfa, ctx),
    getMfaPolicy: async ({ params }) => db.tenant(params.tenantId, getMfaPolicy),
    setMfaPolicy: async ({ params, body, principal, requestId }) => {
      const p = signedIn(principal);
      return orThrow(await db.tenant(params.tenantId, (tx) => setMfaPolicy(tx, body, { actor: actorOf(p), requestId, now: now() })));
    },
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
