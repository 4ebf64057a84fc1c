import { z } from 'zod';
import { Timestamp } from '../common/primitives';
import { SingleLineText } from '../common/text';
import { ApiTokenSummarySchema } from '../api-tokens/schemas';
import { AuditEventSchema } from '../audit/event';
import { TenantRoleSchema } from '../identity/roles';
import { MemberStatusSchema, UserIdSchema } from '../identity/schemas';
import { SessionSummarySchema } from '../sessions/schemas';
import { TenantIdSchema } from '../tenants/tenant';
import { ReasonSchema } from '../approvals/schemas';

/**
 * One person as the caller may see them: platform staff see the whole account;
 * a tenant's admins see only their tenants' memberships and what concerns those
 * tenants. A person the caller cannot see is a 404, exactly like no person.
 */
export const PersonParamsSchema = z.object({ userId: UserIdSchema }).strict();

export const PersonMembershipSchema = z
  .object({
    tenantId: TenantIdSchema,
    tenantName: z.string(),
    role: TenantRoleSchema,
    status: MemberStatusSchema,
    mfaEnrolled: z.boolean(),
    lastSignInAt: Timestamp.nullable(),
  })
  .strict();
export type PersonMembership = z.infer<typeof PersonMembershipSchema>;

/** A live session, with the caller's tenants it serves (platform staff: every tenant it serves). */
export const PersonSessionSchema = SessionSummarySchema.extend({ tenantIds: z.array(TenantIdSchema) })
  .strict()
  .meta({ id: 'PersonSession' });
export type PersonSession = z.infer<typeof PersonSessionSchema>;

/** An audit event about the person, with its actor's name where the caller may see it. */
export const PersonAuditEntrySchema = z.object({ event: AuditEventSchema, actorName: z.string().nullable(), tenantName: z.string() }).strict();
export type PersonAuditEntry = z.infer<typeof PersonAuditEntrySchema>;

export const PersonSchema = z
  .object({
    userId: UserIdSchema,
    email: z.string(),
    displayName: z.string(),
    /** 'locked': the account was cut off by platform staff; no sign-in, no session, no token works. */
    accountStatus: z.enum(['active', 'locked']),
    mfaEnrolled: z.boolean(),
    /** Unused recovery codes; null where the caller does not reach the account (only inactive memberships). */
    recoveryCodesLeft: z.number().int().nonnegative().nullable(),
    /** Holds a platform role in force (shown to platform staff only; false otherwise). */
    platformStaff: z.boolean(),
    memberships: z.array(PersonMembershipSchema),
    sessions: z.array(PersonSessionSchema),
    apiTokens: z.array(ApiTokenSummarySchema),
    recentAudit: z.array(PersonAuditEntrySchema),
  })
  .strict()
  .meta({ id: 'Person' });
export type Person = z.infer<typeof PersonSchema>;

/** What a cut-off does, item by item. */
export const CUT_OFF_ITEM_KINDS = ['membership.deactivate', 'api_tokens.revoke', 'sessions.end', 'account.lock', 'mfa.reset'] as const;
export const CutOffItemKindSchema = z.enum(CUT_OFF_ITEM_KINDS);
export type CutOffItemKind = z.infer<typeof CutOffItemKindSchema>;

/**
 * One planned item: 'run' happens when confirmed; 'done' is already so (running
 * again changes nothing); 'refused' will not run, with the code and reason the
 * service would give; 'approval' will be asked of another platform admin.
 */
export const CutOffPlanItemSchema = z
  .object({
    kind: CutOffItemKindSchema,
    /** The tenant the item acts in; null for the whole account. */
    tenantId: TenantIdSchema.nullable(),
    tenantName: z.string().nullable(),
    plan: z.enum(['run', 'done', 'refused', 'approval']),
    /** Live sessions or tokens it ends, where it counts something. */
    count: z.number().int().nonnegative().nullable(),
    code: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .strict();
export type CutOffPlanItem = z.infer<typeof CutOffPlanItemSchema>;

export const CutOffPlanSchema = z
  .object({
    userId: UserIdSchema,
    /** 'platform': the whole account; 'tenants': the caller's tenants only. */
    scope: z.enum(['platform', 'tenants']),
    items: z.array(CutOffPlanItemSchema),
  })
  .strict()
  .meta({ id: 'CutOffPlan' });
export type CutOffPlan = z.infer<typeof CutOffPlanSchema>;

/** One item's result: a failure carries its code and reason and does not hide the other items. */
export const CutOffResultItemSchema = z
  .object({
    kind: CutOffItemKindSchema,
    tenantId: TenantIdSchema.nullable(),
    tenantName: z.string().nullable(),
    outcome: z.enum(['ok', 'already', 'failed', 'approval_requested']),
    count: z.number().int().nonnegative().nullable(),
    code: z.string().nullable(),
    reason: z.string().nullable(),
    /** The approval request created, for 'approval_requested'. */
    approvalId: z.uuid().nullable(),
  })
  .strict();
export type CutOffResultItem = z.infer<typeof CutOffResultItemSchema>;

export const CutOffResultSchema = z
  .object({ userId: UserIdSchema, scope: z.enum(['platform', 'tenants']), items: z.array(CutOffResultItemSchema) })
  .strict()
  .meta({ id: 'CutOffResult' });
export type CutOffResult = z.infer<typeof CutOffResultSchema>;

/** The reason is kept with an approval request (when one is needed). */
export const CutOffRequestSchema = z.object({ reason: ReasonSchema }).strict();

/** Finding a person by name or email (the command palette). */
export const PeopleSearchQuerySchema = z
  .object({
    q: SingleLineText.trim().min(2).max(100),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type PeopleSearchQuery = z.input<typeof PeopleSearchQuerySchema>;

export const PersonMatchSchema = z.object({ userId: UserIdSchema, email: z.string(), displayName: z.string() }).strict();
export type PersonMatch = z.infer<typeof PersonMatchSchema>;
export const PeopleSearchResultSchema = z.object({ items: z.array(PersonMatchSchema) }).strict().meta({ id: 'PeopleSearchResult' });
