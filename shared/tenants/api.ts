import { z } from 'zod';
import { Timestamp } from '../common/primitives';
import { SingleLineText } from '../common/text';
import { InviteCreatedSchema } from '../identity/members';
import { EmailSchema } from '../identity/schemas';
import { ReasonSchema } from '../approvals/schemas';
import { PlanSchema, RegionSchema, SlugSchema, TenantIdSchema, TenantSchema, TenantStatusSchema } from './tenant';

export const TenantNameSchema = SingleLineText.trim().min(1).max(200);

/** POST /v1/tenants: a tenant and the invitation of its first owner. An invalid slug is 400 validation_failed naming body.slug. */
export const CreateTenantRequestSchema = z
  .object({ name: TenantNameSchema, slug: SlugSchema, region: RegionSchema, plan: PlanSchema, ownerEmail: EmailSchema })
  .strict();
export type CreateTenantRequest = z.infer<typeof CreateTenantRequestSchema>;

export const TenantCreatedSchema = z
  .object({
    tenant: TenantSchema,
    /** The first owner's invitation; its token is shown once. */
    invite: InviteCreatedSchema,
  })
  .strict()
  .meta({ id: 'TenantCreated' });
export type TenantCreated = z.infer<typeof TenantCreatedSchema>;

export const TenantListQuerySchema = z
  .object({ region: RegionSchema.optional(), plan: PlanSchema.optional(), status: TenantStatusSchema.optional() })
  .strict();
export type TenantListQuery = z.infer<typeof TenantListQuerySchema>;

const BoundsSchema = z.object({ min: z.number().int(), max: z.number().int() }).strict();

export const TenantSettingsSchema = z
  .object({
    name: z.string(),
    plan: PlanSchema,
    region: RegionSchema,
    status: TenantStatusSchema,
    idleTimeoutSeconds: z.number().int(),
    absoluteTimeoutSeconds: z.number().int(),
    mfaRequired: z.boolean(),
    /** What idleTimeoutSeconds and absoluteTimeoutSeconds may be set to (shared/policy/identity.ts SESSION_LIMIT_BOUNDS). */
    bounds: z.object({ idle: BoundsSchema, absolute: BoundsSchema }).strict(),
  })
  .strict()
  .meta({ id: 'TenantSettings' });
export type TenantSettings = z.infer<typeof TenantSettingsSchema>;

/** What owners and admins change; out-of-bounds limits are 400 session_limit_out_of_bounds with the bounds in details. */
export const UpdateTenantSettingsRequestSchema = z
  .object({
    name: TenantNameSchema.optional(),
    idleTimeoutSeconds: z.number().int().optional(),
    absoluteTimeoutSeconds: z.number().int().optional(),
  })
  .strict();
export type UpdateTenantSettingsRequest = z.infer<typeof UpdateTenantSettingsRequestSchema>;

export const SetTenantPlanRequestSchema = z.object({ plan: PlanSchema }).strict();

export const TenantSummarySchema = z
  .object({
    tenantId: TenantIdSchema,
    members: z.object({ active: z.number().int(), invited: z.number().int(), deactivated: z.number().int() }).strict(),
    /** Of the active members. */
    mfa: z.object({ enrolled: z.number().int(), notEnrolled: z.number().int() }).strict(),
    liveSessions: z.number().int(),
    openIncidents: z.number().int(),
    audit: z.object({ treeSize: z.number().int(), headIssuedAt: Timestamp.nullable(), lastVerifiedAt: Timestamp.nullable() }).strict(),
  })
  .strict()
  .meta({ id: 'TenantSummary' });
export type TenantSummary = z.infer<typeof TenantSummarySchema>;

export const TenantStatusChangeRequestSchema = z.object({ reason: ReasonSchema }).strict();
