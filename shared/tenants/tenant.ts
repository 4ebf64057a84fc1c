import { z } from 'zod';

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

export const TenantSchema = z
  .object({
    id: TenantIdSchema,
    name: z.string().min(1).max(200),
    region: RegionSchema,
    plan: PlanSchema,
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof TenantSchema>;
