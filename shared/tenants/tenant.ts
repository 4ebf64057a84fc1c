import { z } from 'zod';
import { SlugSchema } from './slug';

export { SlugSchema } from './slug';

declare const tenantIdBrand: unique symbol;
/** A tenant's id. Repository functions take this, never a bare string. */
export type TenantId = string & { readonly [tenantIdBrand]: true };

export const TenantIdSchema = z
  .uuid()
  .transform((s) => s as TenantId)
  .meta({ description: 'Tenant id (UUID)' });

/** Data residency: a tenant's data is only written by the service of its region. */
export const REGIONS = ['eu', 'us'] as const;
export const RegionSchema = z.enum(REGIONS);
export type Region = z.infer<typeof RegionSchema>;

export const PLANS = ['free', 'team', 'enterprise'] as const;
export const PlanSchema = z.enum(PLANS);
export type Plan = z.infer<typeof PlanSchema>;

/** A suspended tenant's members are refused everything in it (403 tenant_suspended); platform staff still reach it. */
export const TENANT_STATUSES = ['active', 'suspended'] as const;
export const TenantStatusSchema = z.enum(TENANT_STATUSES);
export type TenantStatus = z.infer<typeof TenantStatusSchema>;

export const TenantSchema = z
  .object({
    id: TenantIdSchema,
    name: z.string().min(1).max(200),
    slug: SlugSchema,
    region: RegionSchema,
    plan: PlanSchema,
    status: TenantStatusSchema,
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof TenantSchema>;
