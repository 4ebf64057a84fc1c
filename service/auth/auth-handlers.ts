import type { endpoints } from '../../shared/api/endpoints';
import type { Me } from '../../shared/identity/schemas';
import { SESSION_POLICY } from '../../shared/policy/identity';
import { appendAuditEvent } from '../audit/audit-log';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable, RequestContext } from '../http/handler';
import { countUnusedRecoveryCodes, findCredentialsById, getUserProfile, loadGrants } from '../identity/user-repository';
import { endSession, refreshSession } from '../sessions/session-flows';
import { sessionInfo, setStepUp } from '../sessions/session-repository';
import type { Principal } from './principal';
import { checkTotp, completeEnrolment, completeMfa, login, startEnrolment, type ClientInfo } from './sign-in';
import { isRefusal, refusalError, releaseAttempt, reserveAttempt, stepUpRule } from './throttle';
import { auditLocks } from './throttle-audit';
import type { Endpoint } from '../../shared/api/endpoints';

const client = (ctx: RequestContext<Endpoint>): ClientInfo => ({ ip: ctx.ip, userAgent: ctx.userAgent, requestId: ctx.requestId });

/** The signed-in person; API tokens are refused where only a session makes sense. */
export const requireUser = (principal: Principal | null, what: string): Extract<Principal, { kind: 'user' }> => {
  if (principal?.kind === 'user') return principal;
  throw new ApiError(403, 'forbidden', `${what} is for people signed in with a session, not for API tokens.`);
};

export const authHandlers = (deps: HandlerDeps) =>
  ({
    login: async (ctx) => login(deps, ctx.body, client(ctx)),
    mfa: async (ctx) => completeMfa(deps, ctx.body, client(ctx)),
    enrolStart: async (ctx) => startEnrolment(deps, ctx.body, client(ctx)),
    enrolComplete: async (ctx) => completeEnrolment(deps, ctx.body, client(ctx)),
    refresh: async (ctx) => refreshSession(deps.db, deps.now(), ctx.body.refreshToken, ctx.requestId),
    logout: async (ctx) => {
      const user = requireUser(ctx.principal, 'Signing out');
      await endSession(deps.db, deps.now(), user.session.id, user.userId, ctx.requestId);
      return { signedOut: true };
    },
    stepUp: async (ctx) => {
      const user = requireUser(ctx.principal, 'Step-up');
      const now = deps.now();
      const result = await deps.db.platform(async (tx) => {
        // The session's own limit, reserved before the code is checked; sign-in locks (a stranger's guesses
        // at this person's password) never block a signed-in person from confirming an action.
        const reserved = await reserveAttempt(tx, [stepUpRule(user.session.id)], now);
        if (isRefusal(reserved)) return refusalError(reserved);
        const creds = await findCredentialsById(tx, user.userId, true);
        if (!creds) return new ApiError(401, 'session_revoked', 'The session was ended; sign in again.');
        // 403, not 401: the session is fine, the confirmation is not.
        const refused = await checkTotp(tx, deps.keys, creds, ctx.body.code, now, 403);
        if (refused) {
          await appendAuditEvent(tx, {
            actor: { type: 'user', id: user.userId },
            action: 'auth.step_up',
            target: `session:${user.session.id}`,
            outcome: 'failure',
            requestId: ctx.requestId,
            details: { reason: refused.code },
          });
          await auditLocks(tx, reserved, `session:${user.session.id}`, ctx, now);
          return refused;
        }
        await releaseAttempt(tx, reserved);
        const until = new Date(now.getTime() + SESSION_POLICY.stepUpWindow * 1000);
        await setStepUp(tx, user.session.id, until);
        await appendAuditEvent(tx, {
          actor: { type: 'user', id: user.userId },
          action: 'auth.step_up',
          target: `session:${user.session.id}`,
          requestId: ctx.requestId,
          details: { until: until.toISOString() },
        });
        return { stepUpUntil: until.toISOString() };
      });
      if (result instanceof ApiError) throw result;
      return result;
    },
    me: async (ctx): Promise<Me> => {
      const user = requireUser(ctx.principal, '/v1/me');
      return deps.db.platform(async (tx) => {
        const profile = await getUserProfile(tx, user.userId);
        if (!profile) throw new ApiError(401, 'session_revoked', 'The session was ended; sign in again.');
        const grants = await loadGrants(tx, user.userId, deps.now());
        return {
          user: { id: profile.id, email: profile.email, displayName: profile.displayName },
          platformRoles: [...grants.platformRoles],
          memberships: grants.memberships.map((m) => ({ tenantId: m.tenantId, tenantName: m.tenantName, role: m.role })),
          mfa: { enrolled: profile.mfaEnrolled, recoveryCodesRemaining: await countUnusedRecoveryCodes(tx, user.userId) },
          session: sessionInfo(user.session),
        };
      });
    },
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
