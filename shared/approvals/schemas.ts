import { z } from 'zod';
import { MultiLineText } from '../common/text';
import { Timestamp } from '../common/primitives';
import type { Action } from '../identity/permissions';
import { PlatformRoleSchema } from '../identity/roles';
import { UserIdSchema } from '../identity/schemas';
import { APPROVAL_POLICY } from '../policy/approvals';


/** The nil UUID names the platform: requests that are not about one tenant (platform roles). */
export const PLATFORM_SCOPE_ID = '00000000-0000-0000-0000-000000000000';

/** Actions that never run on one person's say: each needs a second person's approval. */
export const APPROVAL_ACTIONS = ['sessions.revoke_tenant', 'members.bulk_remove', 'platform_role.grant', 'tenant.suspend', 'tenant.reinstate', 'account.cut_off'] as const;
export const ApprovalActionSchema = z.enum(APPROVAL_ACTIONS);
export type ApprovalAction = z.infer<typeof ApprovalActionSchema>;

/** The permission both the requester and the approver need (in the request's tenant; platform roles for platform requests). */
export const APPROVAL_PERMISSION: Readonly<Record<ApprovalAction, Action>> = {
  'sessions.revoke_tenant': 'sessions.revoke',
  'members.bulk_remove': 'members.remove',
  'platform_role.grant': 'platform_roles.grant',
  'tenant.suspend': 'tenants.suspend',
  'tenant.reinstate': 'tenants.suspend',
  'account.cut_off': 'people.cut_off',
};

/** withdrawn: its requester took it back while it was pending. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired', 'withdrawn'] as const;
export const ApprovalStatusSchema = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

export const ReasonSchema = MultiLineText.trim().min(1, 'say why').max(1000);
const CommentSchema = MultiLineText.trim().max(1000);

/** What a request asks for, by action. */
export const ApprovalSubjectSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('sessions.revoke_tenant'), keepSessionId: z.uuid().nullable() }).strict(),
  z.object({ action: z.literal('members.bulk_remove'), userIds: z.array(UserIdSchema).min(1).max(APPROVAL_POLICY.maxBulkRemoval) }).strict(),
  z.object({ action: z.literal('platform_role.grant'), userId: UserIdSchema, role: PlatformRoleSchema, hours: z.number().int().min(1) }).strict(),
  // The request's tenant is the one suspended or reinstated.
  z.object({ action: z.literal('tenant.suspend') }).strict(),
  z.object({ action: z.literal('tenant.reinstate') }).strict(),
  // A platform cut-off (lock, sessions, tokens, MFA) of someone APPROVAL_POLICY says needs a second person for.
  z.object({ action: z.literal('account.cut_off'), userId: UserIdSchema }).strict(),
]);
export type ApprovalSubject = z.infer<typeof ApprovalSubjectSchema>;

export const ApprovalRequestSchema = z
  .object({
    id: z.uuid(),
    /** The tenant the action touches, or PLATFORM_SCOPE_ID. */
    tenantId: z.uuid(),
    subject: ApprovalSubjectSchema,
    reason: z.string(),
    requestedBy: z.object({ userId: UserIdSchema, email: z.string() }).strict(),
    createdAt: Timestamp,
    /** Undecided by then, the request expires. */
    expiresAt: Timestamp,
    status: ApprovalStatusSchema,
    decidedBy: z.object({ userId: UserIdSchema, email: z.string() }).strict().nullable(),
    decidedAt: Timestamp.nullable(),
    comment: z.string().nullable(),
    /** What the approved action did (sessions revoked, members removed, the grant's expiry). */
    result: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).nullable(),
    /** The caller made this request. */
    mine: z.boolean(),
    /** The caller may approve or deny it now (pending, not theirs, the right role). */
    canDecide: z.boolean(),
  })
  .strict()
  .meta({ id: 'ApprovalRequest' });
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const ApprovalListSchema = z
  .object({ items: z.array(ApprovalRequestSchema) })
  .strict()
  .meta({ id: 'ApprovalList' });
export type ApprovalList = z.infer<typeof ApprovalListSchema>;

export const RevokeTenantSessionsRequestSchema = z.object({ reason: ReasonSchema }).strict();
export const BulkRemoveMembersRequestSchema = z
  .object({ userIds: z.array(UserIdSchema).min(1).max(APPROVAL_POLICY.maxBulkRemoval), reason: ReasonSchema })
  .strict();
export const PlatformRoleRequestSchema = z
  .object({
    userId: UserIdSchema,
    role: PlatformRoleSchema,
    hours: z.number().int().min(1).max(APPROVAL_POLICY.maxElevationHours).default(APPROVAL_POLICY.defaultElevationHours),
    reason: ReasonSchema,
  })
  .strict();
export const ApprovalDecisionSchema = z.object({ comment: CommentSchema.default('') }).strict();
export const ApprovalParamsSchema = z.object({ tenantId: z.uuid(), approvalId: z.uuid() }).strict();

/** The console's approve/deny input: which request, and the decider's comment. */
export const ApprovalDecisionInputSchema = z
  .object({ tenantId: z.uuid(), approvalId: z.uuid(), comment: CommentSchema.default('') })
  .strict();
