import type { endpoints } from '../../shared/api/endpoints';
import { TENANT_ROLES, type TenantRole } from '../../shared/identity/roles';
import type { MemberStatus } from '../../shared/identity/schemas';
import { ACCESS_REVIEW_POLICY } from '../../shared/policy/access-reviews';
import { appendAuditEvent, freeText } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { actsForPlatform, platformStaffAmong, STAFF_UNREACHABLE } from '../members/account-reach';
import { deleteMembership, setMemberRole } from '../members/member-repository';
import {
  getReview,
  hasOpenReview,
  insertReview,
  listItems,
  listReviews,
  lockItem,
  lockReview,
  markClosed,
  recordItemDecision,
  setOutcome,
} from './access-review-repository';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** A change to a more powerful role (TENANT_ROLES runs from most to least powerful). */
const isUpgrade = (from: TenantRole, to: TenantRole | null): boolean => to !== null && TENANT_ROLES.indexOf(to) < TENANT_ROLES.indexOf(from);

const personOf = (p: Principal | null): UserPrincipal => {
  if (!p) throw new Error('unauthenticated');
  if (p.kind !== 'user') throw new ApiError(403, 'forbidden', 'Access reviews are done by people; an API token cannot.');
  return p;
};

const orThrow = <T>(result: T | ApiError): T => {
  if (result instanceof ApiError) throw result;
  return result;
};

const ownsTenant = (p: UserPrincipal, tenantId: string): boolean =>
  p.grants.platformRoles.length > 0 || p.grants.memberships.some((m) => m.tenantId === tenantId && m.role === 'owner');

export const accessReviewHandlers = ({ db, now }: HandlerDeps) =>
  ({
    listAccessReviews: async ({ params }) => ({ items: await db.tenant(params.tenantId, (tx) => listReviews(tx, now())) }),

    getAccessReview: async ({ params }) => {
      const at = now();
      return orThrow(
        await db.tenant(params.tenantId, async (tx) => {
          const review = await getReview(tx, params.reviewId, at);
          if (!review) return new ApiError(404, 'not_found', 'No review campaign with this id in this tenant.');
          return { review, items: await listItems(tx, params.reviewId) };
        }),
      );
    },

    startAccessReview: async ({ params, body, principal, requestId }) => {
      const p = personOf(principal);
      const at = now();
      const dueAt = body.dueAt ? new Date(body.dueAt) : new Date(at.getTime() + ACCESS_REVIEW_POLICY.defaultDue * 1000);
      if (dueAt <= at || dueAt.getTime() - at.getTime() > ACCESS_REVIEW_POLICY.maxDue * 1000) {
        throw new ApiError(400, 'validation_failed', 'The due date must be in the future, within a year.', [{ path: 'body.dueAt', message: 'out of range' }]);
      }
      return orThrow(
        await db.tenant(params.tenantId, async (tx) => {
          if (await hasOpenReview(tx)) return new ApiError(409, 'conflict', 'A review campaign is already open in this tenant; close it first.');
          const id = await insertReview(tx, { title: body.title, startedBy: { userId: p.userId, email: p.email }, at, dueAt });
          const items = await listItems(tx, id);
          const title = freeText({ title: body.title });
          await appendAuditEvent(tx, {
            actor: actorOf(p),
            action: 'access_review.started',
            target: `access_review:${id}`,
            requestId,
            details: { ...title.lengths, dueAt: dueAt.toISOString(), memberships: items.length },
            personal: title.personal,
          });
          const review = await getReview(tx, id, at);
          if (!review) throw new Error('review vanished');
          return { review, items };
        }),
      );
    },

    decideAccessReviewItem: async ({ params, body, principal, requestId }) => {
      const p = personOf(principal);
      const at = now();
      return orThrow(
        await db.tenantAndPlatform(params.tenantId, async ({ tenant: tx, platform }) => {
          const review = await lockReview(tx, params.reviewId);
          if (!review) return new ApiError(404, 'not_found', 'No review campaign with this id in this tenant.');
          if (review.closed) return new ApiError(409, 'access_review_closed', 'This campaign is closed; its decisions are final.');
          const item = await lockItem(tx, params.reviewId, params.userId);
          if (!item) return new ApiError(404, 'not_found', 'This person had no membership when the campaign started.');
          if (params.userId === p.userId) return new ApiError(403, 'review_self', 'Nobody decides their own access; another owner, admin or reviewer must.');
          const newRole: TenantRole | null = body.decision === 'change_role' ? (body.newRole ?? null) : null;
          // As for a role change: only owners (and platform staff) decide about the owner role.
          const touchesOwner = (item.role === 'owner' && body.decision !== 'keep') || newRole === 'owner';
          if (touchesOwner && !ownsTenant(p, params.tenantId)) return new ApiError(403, 'forbidden', 'Only an owner can decide to remove or change an owner, or to make one.');
          // The operator's staff are managed by platform staff: a tenant only keeps them.
          if (body.decision !== 'keep' && !actsForPlatform(p) && (await platformStaffAmong(platform, [params.userId], at)).size > 0) return STAFF_UNREACHABLE();
          const comment = body.comment === '' ? null : body.comment;
          const decided = await recordItemDecision(tx, params.reviewId, params.userId, { decision: body.decision, newRole, comment, by: { userId: p.userId, email: p.email }, at });
          const text = freeText({ comment: comment ?? '' });
          await appendAuditEvent(tx, {
            actor: actorOf(p),
            action: 'access_review.decided',
            target: `user:${params.userId}`,
            requestId,
            details: { reviewId: params.reviewId, decision: body.decision, role: item.role, newRole, ...text.lengths },
            personal: text.personal,
          });
          return decided;
        }),
      );
    },

    /**
     * Keep every undecided membership but one's own, in one transaction: each kept membership is
     * audited as its own access_review.decided event (marked bulk), as if decided one by one.
     */
    keepUndecidedAccessReviewItems: async ({ params, body, principal, requestId }) => {
      const p = personOf(principal);
      const at = now();
      const comment = body.comment === '' ? null : body.comment;
      return orThrow(
        await db.tenant(params.tenantId, async (tx) => {
          const review = await lockReview(tx, params.reviewId);
          if (!review) return new ApiError(404, 'not_found', 'No review campaign with this id in this tenant.');
          if (review.closed) return new ApiError(409, 'access_review_closed', 'This campaign is closed; its decisions are final.');
          const undecided = (await listItems(tx, params.reviewId)).filter((i) => i.decision === null);
          const mine = undecided.filter((i) => i.userId === p.userId);
          for (const item of undecided.filter((i) => i.userId !== p.userId)) {
            await recordItemDecision(tx, params.reviewId, item.userId, { decision: 'keep', newRole: null, comment, by: { userId: p.userId, email: p.email }, at });
            const text = freeText({ comment: comment ?? '' });
            await appendAuditEvent(tx, {
              actor: actorOf(p),
              action: 'access_review.decided',
              target: `user:${item.userId}`,
              requestId,
              details: { reviewId: params.reviewId, decision: 'keep', role: item.role, newRole: null, bulk: true, ...text.lengths },
              personal: text.personal,
            });
          }
          const summary = await getReview(tx, params.reviewId, at);
          if (!summary) throw new Error('review vanished');
          return { kept: undecided.length - mine.length, left: mine.length, review: { review: summary, items: await listItems(tx, params.reviewId) } };
        }),
      );
    },

    closeAccessReview: async ({ params, principal, requestId }) => {
      const p = personOf(principal);
      const at = now();
      return orThrow(
        await db.tenant(params.tenantId, async (tx) => {
          const review = await lockReview(tx, params.reviewId);
          if (!review) return new ApiError(404, 'not_found', 'No review campaign with this id in this tenant.');
          if (review.closed) return new ApiError(409, 'access_review_closed', 'This campaign is already closed.');
          const items = await listItems(tx, params.reviewId);
          const undecided = items.filter((i) => i.decision === null).length;
          if (undecided > 0) return new ApiError(409, 'access_review_incomplete', `${undecided} membership(s) still need a decision.`);
          // Removals and role upgrades need two people: whoever closes must not be the one who decided them.
          if (items.some((i) => i.decidedBy?.userId === p.userId && (i.decision === 'remove' || isUpgrade(i.role, i.newRole)))) {
            return new ApiError(403, 'approval_self', 'You decided removals or role upgrades in this campaign; another owner or admin must close it.');
          }
          // Current memberships, locked: the campaign applies to who is a member now.
          const memberships = await tx.query<{ user_id: string; role: TenantRole; status: MemberStatus }>(
            'SELECT user_id, role, status FROM memberships WHERE tenant_id = $1 FOR UPDATE',
            [tx.tenantId],
          );
          const current = new Map(memberships.map((r) => [r.user_id, r.role]));
          const decisionOf = new Map(items.map((i) => [i.userId, i]));
          // Only active owners run the tenant: an invited or deactivated one counts for nothing.
          const ownersAfter = memberships.filter((r) => {
            const i = decisionOf.get(r.user_id);
            if (r.status !== 'active' || i?.decision === 'remove') return false;
            return (i?.decision === 'change_role' ? i.newRole : r.role) === 'owner';
          }).length;
          if (ownersAfter < 1) return new ApiError(409, 'last_owner', 'Closing would leave the tenant without an active owner; change a decision first.');

          const actor = actorOf(p);
          const provenance = { reviewId: params.reviewId };
          const result = { kept: 0, roleChanged: 0, removed: 0, skipped: 0 };
          for (const i of items) {
            const role = current.get(i.userId);
            if (role === undefined) {
              await setOutcome(tx, params.reviewId, i.userId, 'skipped');
              result.skipped += 1;
            } else if (i.decision === 'remove') {
              await deleteMembership(tx, i.userId, role, actor, requestId, provenance);
              await setOutcome(tx, params.reviewId, i.userId, 'removed');
              result.removed += 1;
            } else if (i.decision === 'change_role' && i.newRole && i.newRole !== role) {
              await setMemberRole(tx, i.userId, role, i.newRole, actor, requestId);
              await setOutcome(tx, params.reviewId, i.userId, 'role_changed');
              result.roleChanged += 1;
            } else {
              await setOutcome(tx, params.reviewId, i.userId, 'kept');
              result.kept += 1;
            }
          }
          await markClosed(tx, params.reviewId, { userId: p.userId, email: p.email }, at, result);
          await appendAuditEvent(tx, { actor, action: 'access_review.closed', target: `access_review:${params.reviewId}`, requestId, details: result });
          const closed = await getReview(tx, params.reviewId, at);
          if (!closed) throw new Error('review vanished');
          return closed;
        }),
      );
    },
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
