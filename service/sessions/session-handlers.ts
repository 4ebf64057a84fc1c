import type { endpoints } from '../../shared/api/endpoints';
import { appendAuditEvent } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { requestApproval } from '../approvals/approval-handlers';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { getMember } from '../members/member-repository';
import { actsForPlatform, platformStaffAmong, reachOf, recordInTenants, refuseAccountWide } from '../members/account-reach';
import {
  currentLimitsOf,
  listTenantSessions,
  lockTenantSession,
  revokeTenantSession,
  revokeUserSessions,
  withCurrentLimits,
  type SessionForRevocation,
} from './session-admin-repository';
import { decodeCursor, encodeCursor, listSessionPage } from './session-pages';

const SESSION_PAGE_DEFAULT = 200;

const currentSessionOf = (p: Principal): string | null => (p.kind === 'user' ? p.session.id : null);

/**
 * Personal data of a revoked session, for its audit event. Kept in this one
 * place: the audit log is moving such values out of the hashed leaf.
 */
// Where the session was used from is personal data: it goes beside the hashed leaf, where erasure can reach it.
const personalOf = (s: SessionForRevocation): Record<string, string | null> => ({ ip: s.ip, userAgent: s.userAgent });

const orThrow = <T>(result: T | ApiError): T => {
  if (result instanceof ApiError) throw result;
  return result;
};

const NO_SESSION = () => new ApiError(404, 'not_found', 'No session with this id among the members of this tenant.');

/** The caller acting on their own account (a person, not a machine credential of theirs). */
const isSelf = (p: Principal, userId: string): boolean => p.kind === 'user' && p.userId === userId;

/**
 * A tenant's admins see and end the sessions of its active members only, never of
 * the operator's staff; ending a session that also serves another tenant of the
 * person's is account-wide (service/members/account-reach.ts).
 */
export const sessionHandlers = ({ db, now }: HandlerDeps) =>
  ({
    // The route table has checked sessions.read in this tenant; RLS confines the query to its active members' sessions,
    // so a userId of another tenant's person (or of nobody) finds an empty list, never an error that tells them apart.
    listSessions: async ({ params, query, principal }) => {
      if (!principal) throw new Error('unauthenticated');
      const at = now();
      const { cursor, limit, ...filter } = query ?? {};
      const paged = cursor !== undefined || limit !== undefined;
      const after = cursor === undefined ? null : orThrow(decodeCursor(params.tenantId, filter, cursor));
      const { listed, next, limits, staff } = await db.tenantAndPlatform(params.tenantId, async ({ tenant, platform }) => {
        const page = paged ? await listSessionPage(tenant, filter, { after, limit: limit ?? SESSION_PAGE_DEFAULT }) : { rows: await listTenantSessions(tenant, filter), next: null };
        const userIds = page.rows.map((l) => l.record.userId);
        return {
          listed: page.rows,
          next: page.next,
          limits: await currentLimitsOf(platform, userIds),
          staff: actsForPlatform(principal) ? new Set<string>() : await platformStaffAmong(platform, userIds, at),
        };
      });
      const current = currentSessionOf(principal);
      const items = listed.flatMap((l) => (staff.has(l.record.userId) ? [] : (withCurrentLimits(l, limits.get(l.record.userId), current, at) ?? [])));
      // A page may hold fewer than `limit` items (expired and staff sessions are judged after the query); only nextCursor null ends the list.
      return paged ? { items, nextCursor: next ? encodeCursor(params.tenantId, filter, next) : null } : { items };
    },

    // The route table has checked sessions.revoke with step-up, or that this is the caller's own current session.
    revokeSession: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const at = now();
      return orThrow(
        await db.tenantAndPlatform(params.tenantId, async ({ tenant: tx, platform, tenantOf }) => {
          // Whose it is first (a session never changes hands), then the person, then the session: the order deactivation locks them in.
          const seen = await lockTenantSession(tx, params.sessionId, false);
          if (!seen) return NO_SESSION();
          const reach = isSelf(principal, seen.userId) ? null : await reachOf(platform, seen.userId, params.tenantId, at);
          const session = await lockTenantSession(tx, params.sessionId);
          if (!session) return NO_SESSION();
          // Not listed to the tenant, so not the tenant's to find.
          if (reach?.platformStaff && !actsForPlatform(principal)) return NO_SESSION();
          if (session.revoked) return new ApiError(409, 'session_already_revoked', 'This session was already ended.');
          const refused = reach && refuseAccountWide(principal, reach, 'Ending this session');
          if (refused) return refused;
          const revoked = await revokeTenantSession(tx, session.id, at);
          const event = { actor: actorOf(principal), requestId, personal: personalOf(session) };
          await appendAuditEvent(tx, { ...event, action: 'session.revoked', target: `session:${session.id}`, details: { userId: session.userId } });
          await recordInTenants(tenantOf, reach?.otherTenants ?? [], { ...event, action: 'account.session_revoked', userId: session.userId, details: { sessionId: session.id } });
          return { revoked };
        }),
      );
    },

    revokeUserSessions: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const at = now();
      return orThrow(
        await db.tenantAndPlatform(params.tenantId, async ({ tenant: tx, platform, tenantOf }) => {
          const member = await getMember(tx, params.userId);
          if (member?.status !== 'active') return new ApiError(404, 'not_found', 'No active member with this id in this tenant.');
          const reach = isSelf(principal, params.userId) ? null : await reachOf(platform, params.userId, params.tenantId, at);
          const refused = reach && refuseAccountWide(principal, reach, 'Ending their sessions');
          if (refused) return refused;
          const revoked = await revokeUserSessions(tx, params.userId, at);
          const event = { actor: actorOf(principal), requestId, details: { revoked } };
          await appendAuditEvent(tx, { ...event, action: 'session.revoked_all_of_user', target: `user:${params.userId}` });
          await recordInTenants(tenantOf, reach?.otherTenants ?? [], { ...event, action: 'account.sessions_ended', userId: params.userId });
          return { revoked };
        }),
      );
    },

    // No longer at once: a second person must approve (service/approvals/); the caller's current session will be kept.
    revokeTenantSessions: async ({ params, body, principal, requestId }) =>
      requestApproval(db, principal, params.tenantId, { action: 'sessions.revoke_tenant', keepSessionId: principal ? currentSessionOf(principal) : null }, body.reason, requestId, now()),
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
