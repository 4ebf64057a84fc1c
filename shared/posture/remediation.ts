import { z } from 'zod';
import { Timestamp } from '../common/primitives';
import { MultiLineText } from '../common/text';
import { UserIdSchema } from '../identity/schemas';
import { TenantIdSchema } from '../tenants/tenant';

/** Where a remediation plan stands; `done` stops it counting as overdue. */
export const REMEDIATION_STATUSES = ['open', 'in_progress', 'done'] as const;
export const RemediationStatusSchema = z.enum(REMEDIATION_STATUSES);
export type RemediationStatus = z.infer<typeof RemediationStatusSchema>;

/** A catalogue id's shape (`auth.mfa`); whether such a control exists is the service's 404 unknown_control. */
export const ControlIdParamSchema = z
  .string()
  .max(100)
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be a control id such as auth.mfa')
  // Not a tenant's object: the same id names the same control everywhere (the attack suites use the example).
  .meta({ examples: ['access.reviews'] });

/** The tenant (or the platform's nil id) and the control a plan belongs to. */
export const RemediationParamsSchema = z.object({ tenantId: TenantIdSchema, controlId: ControlIdParamSchema }).strict();

/**
 * A plan as set in the console: its owner (an active member who may manage
 * posture; platform staff for the platform), a target date not in the past when
 * set, the compensating controls in the meantime (free text), and its status.
 */
export const RemediationPlanInputSchema = z
  .object({
    ownerUserId: UserIdSchema,
    targetDate: z.iso.date(),
    compensatingControls: MultiLineText.trim().min(1).max(2000),
    status: RemediationStatusSchema.default('open'),
  })
  .strict()
  .meta({ id: 'RemediationPlanInput' });
export type RemediationPlanInput = z.input<typeof RemediationPlanInputSchema>;

/** A stored plan as the console lists it: the owner by id and display name (never in a posture or snapshot). */
export const RemediationPlanSchema = z
  .object({
    controlId: z.string(),
    ownerUserId: UserIdSchema,
    ownerDisplayName: z.string(),
    targetDate: z.iso.date(),
    compensatingControls: z.string(),
    status: RemediationStatusSchema,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .strict()
  .meta({ id: 'RemediationPlan' });
export type RemediationPlan = z.infer<typeof RemediationPlanSchema>;

export const RemediationPlanListSchema = z
  .object({ items: z.array(RemediationPlanSchema) })
  .strict()
  .meta({ id: 'RemediationPlanList' });
export type RemediationPlanList = z.infer<typeof RemediationPlanListSchema>;

export const RemediationDeletedSchema = z.object({ deleted: z.literal(true) }).strict().meta({ id: 'RemediationDeleted' });
