import type { endpoints } from '../../shared/api/endpoints';
import type { FlagReviewRequest, FlagReviewResult } from '../../shared/sessions/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, freeText, type Actor } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { PLATFORM_TENANT_ID, type Db, type ScopedTx } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { actsForPlatform, reachOf, recordInTenants, refuseAccountWide } from '../members/account-reach';
import { flagsOf, insertFlagReview, isReviewed, lockStaffSession, revokeStaffSession } from './flag-review-repository';
import { lockTenantSession, revokeTenantSession } from './session-admin-repository';

const orThrow = <T>(result: T | ApiError): T => {
  if (result instanceof ApiError) throw result;
  return result;
};

const NO_SESSION = () => new ApiError(404, 'not_found', 'No session with this id among the members of this tenant.');
const SELF = () => new ApiError(403, 'review_self', 'A flagged sign-in of your own is reviewed by someone else.');

interface Reviewed {
  readonly id: string;
  readonly userId: string;
  readonly revoked: boolean;
}

/** The checks every review passes, in the session's locked transaction: not one's own, flagged, not yet reviewed here. */
const refusal = async (tx: ScopedTx, principal: Principal, session: Reviewed): Promise<ApiError | null> => {
  if (principal.kind === 'user' && principal.userId === session.userId) return SELF();
  if ((await flagsOf(tx, session.id)).length === 0) return new ApiError(409, 'session_not_flagged', 'This sign-in raised no flag; there is nothing to review.');
  if (await isReviewed(tx, session.id)) return new ApiError(409, 'already_reviewed', 'This sign-in was already reviewed.');
  return null;
};

/** Records the review and its audit event; the note (free text) goes beside the hashed leaf, where erasure can reach it. */
const record = async (tx: ScopedTx, session: Reviewed, body: FlagReviewRequest, c: { actor: Actor; requestId: string; at: Date; revoked: boolean }): Promise<FlagReviewResult> => {
  await insertFlagReview(tx, session.id, body.outcome, c.at);
  const flags = await flagsOf(tx, session.id);
  const note = body.note ? freeText({ note: body.note }) : null;
  await appendAuditEvent(tx, {
    actor: c.actor,
    action: 'session.flags_reviewed',
    target: `session:${session.id}`,
    requestId: c.requestId,
    details: { userId: session.userId, outcome: body.outcome, flags, sessionRevoked: c.revoked, ...(note?.lengths ?? {}) },
    ...(note ? { personal: note.personal } : {}),
  });
  return { sessionId: session.id, outcome: body.outcome, reviewedAt: c.at.toISOString(), sessionRevoked: c.revoked };
};

/** A tenant's review of its member's session: found, reached and ended as revokeSession does (session-handlers.ts). */
const reviewInTenant = (db: Db, tenantId: TenantId, sessionId: string, body: FlagReviewRequest, principal: Principal, requestId: string, at: Date) =>
  db.tenantAndPlatform(tenantId, async ({ tenant: tx, platform, tenantOf }) => {
    const seen = await lockTenantSession(tx, sessionId, false);
    if (!seen) return NO_SESSION();
    const reach = await reachOf(platform, seen.userId, tenantId, at);
    const session = await lockTenantSession(tx, sessionId);
    if (!session || (reach.platformStaff && !actsForPlatform(principal))) return NO_SESSION();
    const refused = await refusal(tx, principal, session);
    if (refused) return refused;
    const ending = body.outcome === 'suspicious' && !session.revoked;
    if (ending) {
      const wide = refuseAccountWide(principal, reach, 'Ending this session');
      if (wide) return wide;
    }
    const revoked = ending && (await revokeTenantSession(tx, session.id, at)) > 0;
    const actor = actorOf(principal);
    if (revoked) {
      const event = { actor, requestId, personal: { ip: session.ip, userAgent: session.userAgent } };
      await appendAuditEvent(tx, { ...event, action: 'session.revoked', target: `session:${session.id}`, details: { userId: session.userId, reason: 'flag_review' } });
      await recordInTenants(tenantOf, reach.otherTenants, { ...event, action: 'account.session_revoked', userId: session.userId, details: { sessionId: session.id } });
    }
    return record(tx, session, body, { actor, requestId, at, revoked });
  });

/** The platform's review of a staff member's session (nil tenant id): only platform staff reach here (the route table's platform roles). */
const reviewForPlatform = (db: Db, sessionId: string, body: FlagReviewRequest, principal: Principal, requestId: string, at: Date) =>
  db.platform(async (tx) => {
    const session = await lockStaffSession(tx, sessionId, at);
    if (!session) return new ApiError(404, 'not_found', "No session with this id among the platform staff's.");
    const refused = await refusal(tx, principal, session);
    if (refused) return refused;
    const revoked = body.outcome === 'suspicious' && (await revokeStaffSession(tx, session.id, at)) > 0;
    const actor = actorOf(principal);
    if (revoked) await appendAuditEvent(tx, { actor, requestId, action: 'session.revoked', target: `session:${session.id}`, details: { userId: session.userId, reason: 'flag_review' } });
    return record(tx, session, body, { actor, requestId, at, revoked });
  });

export const flagReviewHandlers = ({ db, now }: HandlerDeps) =>
  ({
    // The route table has checked sessions.revoke (with step-up) in the path's tenant, or a platform role for the nil id.
    reviewSessionFlags: async ({ params, body, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const at = now();
      return orThrow(
        params.tenantId === PLATFORM_TENANT_ID
          ? await reviewForPlatform(db, params.sessionId, body, principal, requestId, at)
          : await reviewInTenant(db, params.tenantId as TenantId, params.sessionId, body, principal, requestId, at),
      );
    },
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
