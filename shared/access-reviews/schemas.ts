import { z } from 'zod';
import { MultiLineText, SingleLineText } from '../common/text';
import { Timestamp } from '../common/primitives';
import { TenantRoleSchema } from '../identity/roles';
import { UserIdSchema } from '../identity/schemas';
import { TenantIdSchema } from '../tenants/tenant';


export const REVIEW_DECISIONS = ['keep', 'change_role', 'remove'] as const;
export const ReviewDecisionSchema = z.enum(REVIEW_DECISIONS);
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;

export const REVIEW_OUTCOMES = ['kept', 'role_changed', 'removed', 'skipped'] as const;

export const AccessReviewSummarySchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    title: z.string(),
    startedBy: z.object({ userId: UserIdSchema, email: z.string() }).strict(),
    startedAt: Timestamp,
    dueAt: Timestamp,
    status: z.enum(['open', 'closed']),
    /** Open past its due date. */
    overdue: z.boolean(),
    closedBy: z.object({ userId: UserIdSchema, email: z.string() }).strict().nullable(),
    closedAt: Timestamp.nullable(),
    counts: z
      .object({
        memberships: z.number().int().nonnegative(),
        decided: z.number().int().nonnegative(),
        keep: z.number().int().nonnegative(),
        changeRole: z.number().int().nonnegative(),
        remove: z.number().int().nonnegative(),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'AccessReviewSummary' });
export type AccessReviewSummary = z.infer<typeof AccessReviewSummarySchema>;

export const AccessReviewItemSchema = z
  .object({
    userId: UserIdSchema,
    email: z.string(),
    displayName: z.string(),
    /** The role when the campaign started. */
    role: TenantRoleSchema,
    decision: ReviewDecisionSchema.nullable(),
    newRole: TenantRoleSchema.nullable(),
    comment: z.string().nullable(),
    decidedBy: z.object({ userId: UserIdSchema, email: z.string() }).strict().nullable(),
    decidedAt: Timestamp.nullable(),
    /** Set when the campaign closed. */
    outcome: z.enum(REVIEW_OUTCOMES).nullable(),
    /** The person's account now, beside the decision: last sign-in (null: never) and MFA (null: not known, an invitation). */
    lastSignInAt: Timestamp.nullable(),
    mfaEnrolled: z.boolean().nullable(),
  })
  .strict()
  .meta({ id: 'AccessReviewItem' });
export type AccessReviewItem = z.infer<typeof AccessReviewItemSchema>;

export const AccessReviewSchema = z
  .object({ review: AccessReviewSummarySchema, items: z.array(AccessReviewItemSchema) })
  .strict()
  .meta({ id: 'AccessReview' });
export type AccessReview = z.infer<typeof AccessReviewSchema>;

export const AccessReviewListSchema = z
  .object({ items: z.array(AccessReviewSummarySchema) })
  .strict()
  .meta({ id: 'AccessReviewList' });

export const StartAccessReviewSchema = z
  .object({
    title: SingleLineText.trim().min(1).max(200),
    /** Default: ACCESS_REVIEW_POLICY.defaultDue from now. */
    dueAt: Timestamp.optional(),
  })
  .strict();

/** A reviewer's comment on one decision (the console's IPC input uses it too). */
export const ReviewCommentSchema = MultiLineText.trim().max(1000);

/** Keep every membership still undecided (except one's own, which someone else decides), with one comment for all. */
export const KeepUndecidedRequestSchema = z.object({ comment: ReviewCommentSchema.default('') }).strict();
export const KeepUndecidedResultSchema = z
  .object({
    /** Memberships kept by this call (each audited as its own access_review.decided event). */
    kept: z.number().int().nonnegative(),
    /** Undecided memberships left: one's own, which another person must decide. */
    left: z.number().int().nonnegative(),
    review: AccessReviewSchema,
  })
  .strict()
  .meta({ id: 'KeepUndecidedResult' });
export type KeepUndecidedResult = z.infer<typeof KeepUndecidedResultSchema>;

export const ReviewDecisionRequestSchema = z
  .object({ decision: ReviewDecisionSchema, newRole: TenantRoleSchema.optional(), comment: ReviewCommentSchema.default('') })
  .strict()
  .refine((d) => (d.decision === 'change_role') === (d.newRole !== undefined), {
    message: 'newRole is given with change_role, and only then',
    path: ['newRole'],
  });

export const AccessReviewParamsSchema = z.object({ tenantId: TenantIdSchema, reviewId: z.uuid() }).strict();
export const AccessReviewItemParamsSchema = z.object({ tenantId: TenantIdSchema, reviewId: z.uuid(), userId: UserIdSchema }).strict();
