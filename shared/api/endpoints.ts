import { z } from 'zod';
import { TenantIdSchema, TenantSchema } from '../tenants/tenant';

/**
 * The service's HTTP API, declared once. The service validates requests and
 * responses with these schemas and generates /v1/openapi.json from them; the
 * console's client parses responses with the same schemas.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type AuthRequirement = 'none' | 'operator';

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** Fastify-style path, e.g. /v1/tenants/:id */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly auth: AuthRequirement;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  /** Status of a successful response. */
  readonly status: 200 | 201 | 204;
}

const endpoint = <
  P extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  B extends z.ZodType = z.ZodNever,
  R extends z.ZodType = z.ZodType,
>(
  e: Endpoint<P, Q, B, R>,
): Endpoint<P, Q, B, R> => e;

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    storage: z.enum(['pglite', 'postgres']),
    time: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;

export const TenantListSchema = z
  .object({ items: z.array(TenantSchema) })
  .strict()
  .meta({ id: 'TenantList' });
export type TenantList = z.infer<typeof TenantListSchema>;

export const TenantParamsSchema = z.object({ id: TenantIdSchema }).strict();

export const endpoints = {
  health: endpoint({
    method: 'GET',
    path: '/v1/health',
    summary: 'Liveness and storage engine',
    tag: 'meta',
    auth: 'none',
    status: 200,
    response: HealthSchema,
  }),
  openapi: endpoint({
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'meta',
    auth: 'none',
    status: 200,
    response: z.record(z.string(), z.unknown()),
  }),
  listTenants: endpoint({
    method: 'GET',
    path: '/v1/tenants',
    summary: 'List tenants visible to the caller',
    tag: 'tenants',
    auth: 'operator',
    status: 200,
    response: TenantListSchema,
  }),
  getTenant: endpoint({
    method: 'GET',
    path: '/v1/tenants/:id',
    summary: 'One tenant',
    tag: 'tenants',
    auth: 'operator',
    status: 200,
    params: TenantParamsSchema,
    response: TenantSchema,
  }),
} as const;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
export type ResponseOf<N extends EndpointName> = z.infer<Endpoints[N]['response']>;
