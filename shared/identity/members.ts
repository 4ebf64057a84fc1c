import { z } from 'zod';
import { MultiLineText, SecretText, SingleLineText } from '../common/text';
import { Timestamp } from '../common/primitives';
import { EmailSchema, MemberSchema, MemberStatusSchema, UserIdSchema } from './schemas';
import { TenantRoleSchema } from './roles';
import { TenantIdSchema } from '../tenants/tenant';


export const MEMBER_SORTS = ['email', 'role', 'status', 'mfa', 'last_sign_in'] as const;
export const MemberSortSchema = z.enum(MEMBER_SORTS);
export type MemberSort = z.infer<typeof MemberSortSchema>;

/** Filters and order of the members list; every filter is optional. */
export const MemberQuerySchema = z
  .object({
    role: TenantRoleSchema.optional(),
    status: MemberStatusSchema.optional(),
    mfa: z.enum(['enrolled', 'not_enrolled']).optional(),
    /** Members whose last sign-in is before this time, or who never signed in (stale accounts). */
    signedInBefore: Timestamp.optional(),
    sort: MemberSortSchema.default('email'),
    order: z.enum(['asc', 'desc']).default('asc'),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();
export type MemberQuery = z.output<typeof MemberQuerySchema>;

/**
 * MFA enrolment among a tenant's active members (invited and deactivated ones
 * have no access to count). The posture reads the same numbers.
 */
export const MfaCountsSchema = z
  .object({ enrolled: z.number().int().nonnegative(), notEnrolled: z.number().int().nonnegative(), invited: z.number().int().nonnegative() })
  .strict()
  .meta({ id: 'MfaCounts' });
export type MfaCounts = z.infer<typeof MfaCountsSchema>;

export const MemberListSchema = z
  .object({
    items: z.array(MemberSchema),
    /** More members match the filters after this page. */
    hasMore: z.boolean(),
    counts: MfaCountsSchema,
  })
  .strict()
  .meta({ id: 'MemberList' });
export type MemberList = z.infer<typeof MemberListSchema>;

export const INVITE_TTL_SECONDS = 72 * 3600;

export const InviteRequestSchema = z.object({ email: EmailSchema, role: TenantRoleSchema }).strict();
export const InviteCreatedSchema = z
  .object({
    inviteId: z.uuid(),
    member: MemberSchema,
    /** Shown once: only its SHA-256 is stored. */
    token: z.string(),
    expiresAt: Timestamp,
  })
  .strict()
  .meta({ id: 'InviteCreated' });
export type InviteCreated = z.infer<typeof InviteCreatedSchema>;

export const InviteTokenSchema = z.string().regex(/^atst_inv_[A-Za-z0-9_-]{43}$/, 'not an invite token');
export const AcceptInviteRequestSchema = z
  .object({
    token: InviteTokenSchema,
    /**
     * A new account's password (shared/policy/password.ts). An existing account
     * sends none: it accepts signed in as itself (Authorization: its session).
     */
    password: SecretText.min(1).max(1024).optional(),
    displayName: SingleLineText.trim().min(1).max(200).optional(),
  })
  .strict();
export const InviteAcceptedSchema = z
  .object({ tenantId: TenantIdSchema, userId: UserIdSchema, role: TenantRoleSchema })
  .strict()
  .meta({ id: 'InviteAccepted' });

export const RemediationPlanSchema = z
  .object({
    ownerUserId: UserIdSchema,
    targetDate: z.iso.date(),
    compensatingControls: MultiLineText.trim().min(1).max(2000),
  })
  .strict()
  .meta({ id: 'MfaRemediationPlan' });
export type RemediationPlan = z.infer<typeof RemediationPlanSchema>;

/** What the service stores and returns: a tenant set up before plans existed may be off without one. */
export const MfaPolicyStateSchema = z
  .object({ mfaRequired: z.boolean(), remediationPlan: RemediationPlanSchema.nullable() })
  .strict()
  .meta({ id: 'MfaPolicyState' });
export type MfaPolicyState = z.infer<typeof MfaPolicyStateSchema>;

/** On: members without MFA can only enrol at their next sign-in. Off: only with a remediation plan. */
export const MfaPolicySchema = z
  .discriminatedUnion('mfaRequired', [
    z.object({ mfaRequired: z.literal(true) }).strict(),
    z.object({ mfaRequired: z.literal(false), remediationPlan: RemediationPlanSchema }).strict(),
  ])
  .meta({ id: 'MfaPolicyChange' });
export type MfaPolicy = z.infer<typeof MfaPolicySchema>;
