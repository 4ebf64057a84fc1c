import type { endpoints } from '../../shared/api/endpoints';
import { actorOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { countOwners, getMember, listMembers, setMemberRole } from './member-repository';

export const memberHandlers = ({ db }: HandlerDeps) =>
  ({
    // The route table has checked members.read in this tenant; RLS confines the query to it.
    listMembers: async ({ params }) => ({ items: await db.tenant(params.tenantId, listMembers) }),
    changeMemberRole: async ({ params, body, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const result = await db.tenant(params.tenantId, async (tx) => {
        const member = await getMember(tx, params.userId, true);
        if (!member) return new ApiError(404, 'not_found', 'No member with this id in this tenant.');
        if (member.role === body.role) return member;
        // Only owners (and platform staff) grant or take away ownership: an admin can't make themselves owner.
        const isOwner = principal.grants.memberships.some((m) => m.tenantId === params.tenantId && m.role === 'owner');
        if ((member.role === 'owner' || body.role === 'owner') && !isOwner && principal.grants.platformRoles.length === 0) {
          return new ApiError(403, 'forbidden', 'Only an owner can grant or remove the owner role.');
        }
        if (member.role === 'owner' && (await countOwners(tx)) <= 1) {
          return new ApiError(409, 'last_owner', 'This is the last owner of the tenant; make someone else owner first.');
        }
        await setMemberRole(tx, member.userId, member.role, body.role, actorOf(principal), requestId);
        return { ...member, role: body.role };
      });
      if (result instanceof ApiError) throw result;
      return result;
    },
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
