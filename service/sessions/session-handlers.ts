import type { endpoints } from '../../shared/api/endpoints';
import { appendAuditEvent } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { requestApproval } from '../approvals/approval-handlers';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { getMember } from '../members/member-repository';
import {
  currentLimitsOf,
  listTenantSessions,
  lockTenantSession,
  revokeTenantSession,
  revokeUserSessions,
  withCurrentLimits,
  type SessionForRevocation,
} from './session-admin-repository';

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

export const sessionHandlers = ({ db, now }: HandlerDeps) =>
  ({
    // The route table has checked sessions.read in this tenant; RLS confines the query to its members' sessions.
    listSessions: async ({ params, query, principal }) => {
      if (!principal) throw new Error('unauthenticated');
      const listed = await db.tenant(params.tenantId, (tx) => listTenantSessions(tx, query ?? {}));
      const limits = await db.platform((tx) => currentLimitsOf(tx, listed.map((l) => l.record.userId)));
      const at = now();
      const current = currentSessionOf(principal);
      return { items: listed.flatMap((l) => withCurrentLimits(l, limits.get(l.record.userId), current, at) ?? []) };
    },

    // The route table has checked sessions.revoke with step-up, or that this is the caller's own current session.
    revokeSession: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      return orThrow(
        await db.tenant(params.tenantId, async (tx) => {
          const session = await lockTenantSession(tx, params.sessionId);
          if (!session) return new ApiError(404, 'not_found', 'No session with this id among the members of this tenant.');
          if (session.revoked) return new ApiError(409, 'session_already_revoked', 'This session was already ended.');
          const revoked = await revokeTenantSession(tx, session.id, now());
          await appendAuditEvent(tx, {
            actor: actorOf(principal),
            action: 'session.revoked',
            target: `session:${session.id}`,
            requestId,
            details: { userId: session.userId },
            personal: personalOf(session),
          });
          return { revoked };
        }),
      );
    },

    revokeUserSessions: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      return orThrow(
        await db.tenant(params.tenantId, async (tx) => {
          if (!(await getMember(tx, params.userId))) return new ApiError(404, 'not_found', 'No member with this id in this tenant.');
          const revoked = await revokeUserSessions(tx, params.userId, now());
          await appendAuditEvent(tx, {
            actor: actorOf(principal),
            action: 'session.revoked_all_of_user',
            target: `user:${params.userId}`,
            requestId,
            details: { revoked },
          });
          return { revoked };
        }),
      );
    },

    // No longer at once: a second person must approve (service/approvals/); the caller's current session will be kept.
    revokeTenantSessions: async ({ params, body, principal, requestId }) =>
      requestApproval(db, principal, params.tenantId, { action: 'sessions.revoke_tenant', keepSessionId: principal ? currentSessionOf(principal) : null }, body.reason, requestId, now()),
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
