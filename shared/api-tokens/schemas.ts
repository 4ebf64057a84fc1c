import { z } from 'zod';
import { SingleLineText } from '../common/text';
import { Timestamp } from '../common/primitives';
import { API_TOKEN_SCOPES } from '../identity/api-token-scopes';
import { UserIdSchema } from '../identity/schemas';
import type { Action } from '../identity/permissions';
import { TenantIdSchema } from '../tenants/tenant';


export const ApiTokenIdSchema = z.uuid();
export const ApiTokenScopeSchema = z.enum(API_TOKEN_SCOPES as [Action, ...Action[]]);

export const ApiTokenParamsSchema = z.object({ tenantId: TenantIdSchema, tokenId: ApiTokenIdSchema }).strict();

/** Expiry is required; the service refuses one in the past or beyond API_TOKEN_POLICY.maxLifetime (400 validation_failed). */
export const CreateApiTokenRequestSchema = z
  .object({
    name: SingleLineText.trim().min(1).max(100),
    scopes: z.array(ApiTokenScopeSchema).min(1).max(API_TOKEN_SCOPES.length),
    expiresAt: Timestamp,
  })
  .strict()
  .meta({ id: 'CreateApiTokenRequest' });
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequestSchema>;

export const RotateApiTokenRequestSchema = z.object({ expiresAt: Timestamp }).strict().meta({ id: 'RotateApiTokenRequest' });

export const ApiTokenSummarySchema = z
  .object({
    id: ApiTokenIdSchema,
    tenantId: TenantIdSchema,
    name: z.string(),
    /** The member the token acts as; their current role caps it. */
    userId: UserIdSchema,
    email: z.string(),
    scopes: z.array(ApiTokenScopeSchema),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    /** Whole days since creation. */
    ageDays: z.number().int().nonnegative(),
    /** Older than API_TOKEN_POLICY.staleAfter: rotate it. */
    stale: z.boolean(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .strict()
  .meta({ id: 'ApiTokenSummary' });
export type ApiTokenSummary = z.infer<typeof ApiTokenSummarySchema>;

export const ApiTokenListSchema = z.object({ items: z.array(ApiTokenSummarySchema) }).strict().meta({ id: 'ApiTokenList' });
export type ApiTokenList = z.infer<typeof ApiTokenListSchema>;

/** The secret appears here once, never again. */
export const ApiTokenCreatedSchema = z
  .object({ token: ApiTokenSummarySchema, secret: z.string() })
  .strict()
  .meta({ id: 'ApiTokenCreated' });
export type ApiTokenCreated = z.infer<typeof ApiTokenCreatedSchema>;
