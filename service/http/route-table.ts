import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Endpoint, HttpMethod, Permission } from '../../shared/api/endpoints';
import { printableLine } from '../../shared/common/text';
import { ACTIONS, can, PERMISSIONS, type Action, type PermissionRule } from '../../shared/identity/permissions';
import type { AuthFailure, Authenticator, Principal } from '../auth/principal';
import { ApiError, issuesFrom } from './api-error';
import type { DocumentReply, HandlerTable, RequestContext, StreamedReply } from './handler';
import type { RateLimiter } from './rate-limit';
import { findUnpairedSurrogate } from './unpaired-surrogates';

export type EndpointTable = Readonly<Record<string, Endpoint>>;

const WWW_AUTHENTICATE = 'Bearer realm="attest"';

const userAgentOf = (request: FastifyRequest): string | null => {
  const value = request.headers['user-agent'];
  return value === undefined ? null : printableLine(value);
};

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);

const NOUN = { params: 'path parameters', query: 'query parameters', body: 'request body' } as const;

const parseInput = (schema: z.ZodType | undefined, value: unknown, location: keyof typeof NOUN): unknown => {
  if (!schema) {
    if (isEmpty(value)) return undefined;
    const message = `This endpoint takes no ${NOUN[location]}.`;
    throw new ApiError(400, 'validation_failed', message, [{ path: location, message }]);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(400, 'validation_failed', `Invalid ${NOUN[location]}.`, issuesFrom(result.error, location));
  }
  const unpaired = findUnpairedSurrogate(result.data, location);
  if (unpaired) {
    const message = 'Text must be valid Unicode: an unpaired surrogate (\\ud800–\\udfff) cannot be stored.';
    throw new ApiError(400, 'validation_failed', `Invalid ${NOUN[location]}.`, [{ path: unpaired, message }]);
  }
  return result.data;
};

/** Fails fast (and in a test) when the table and the handlers disagree. */
export const assertHandlersMatch = (table: EndpointTable, handlers: object): void => {
  const declared = Object.keys(table);
  const handled = Object.keys(handlers);
  const missing = declared.filter((k) => !handled.includes(k));
  const undeclared = handled.filter((k) => !declared.includes(k));
  if (missing.length > 0 || undeclared.length > 0) {
    throw new Error(
      `route table mismatch: endpoints without a handler [${missing.join(', ')}], handlers without an endpoint [${undeclared.join(', ')}]`,
    );
  }
};

const pathPattern = (path: string): RegExp =>
  new RegExp(`^${path.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);

/** The methods declared for a URL path, for 405 responses. */
export const allowedMethods = (table: EndpointTable, url: string): HttpMethod[] => {
  const path = url.split('?')[0] ?? url;
  return Object.values(table)
    .filter((e) => pathPattern(e.path).test(path))
    .map((e) => e.method);
};

const ACTIONS_SET = new Set<string>(ACTIONS);

/** Every endpoint must declare who may call it; a value outside the contract (a cast, a typo) refuses to register. */
export const assertPermissionsDeclared = (table: EndpointTable): void => {
  for (const [name, e] of Object.entries(table)) {
    const p: unknown = e.permission;
    if (p !== null && typeof p === 'object') {
      const { action, ownSession } = p as Record<string, unknown>;
      if (typeof action === 'string' && ACTIONS_SET.has(action) && typeof ownSession === 'string' && e.path.split('/').includes(`:${ownSession}`)) continue;
    } else if (p === 'public' || p === 'optional' || p === 'authenticated' || (typeof p === 'string' && ACTIONS_SET.has(p))) {
      continue;
    }
    throw new Error(`endpoint ${name} declares no valid permission (${JSON.stringify(p)})`);
  }
};

const unauthenticated = (reason: AuthFailure): ApiError => {
  const invalid = { 'www-authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"` };
  switch (reason) {
    case 'missing':
      return new ApiError(401, 'auth_required', 'This endpoint requires a session or an operator token (Authorization: Bearer …).', undefined, {
        'www-authenticate': WWW_AUTHENTICATE,
      });
    case 'access_expired':
      return new ApiError(401, 'invalid_token', 'The access token has expired; refresh the session.', undefined, invalid);
    case 'session_expired':
      return new ApiError(401, 'session_expired', 'The session has expired; sign in again.', undefined, invalid);
    case 'session_revoked':
      return new ApiError(401, 'session_revoked', 'The session was ended; sign in again.', undefined, invalid);
    default:
      return new ApiError(401, 'invalid_token', 'The token is not valid.', undefined, invalid);
  }
};

/**
 * Authorisation by the permission matrix: the action must be allowed to the
 * caller's roles in the tenant of the path (or in some tenant, where the path
 * names none); destructive actions also need a step-up within the window.
 */
export const authorize = (principal: Principal, action: Action, tenantId: string | null, now: Date): ApiError | null => {
  if (principal.kind === 'api_token' && !principal.scopes.includes(action)) {
    return new ApiError(403, 'forbidden', `This API token's scopes do not include ${action}.`);
  }
  if (!can(principal.grants, action, tenantId)) {
    return new ApiError(403, 'forbidden', tenantId ? `Your roles in this tenant do not allow ${action}.` : `Your roles do not allow ${action}.`);
  }
  const rule: PermissionRule = PERMISSIONS[action];
  if (rule.stepUp && !(principal.kind === 'operator' && rule.operatorTokens === true)) {
    if (principal.kind !== 'user') {
      return new ApiError(403, 'forbidden', `${action} needs a fresh authenticator code, which an API token cannot give; sign in as a person.`);
    }
    const until = principal.session.stepUpUntil;
    if (!until || until <= now) return new ApiError(403, 'step_up_required', 'Enter a current authenticator code to confirm this action.');
  }
  return null;
};

/**
 * A suspended tenant's members (people and their API tokens) are refused every
 * route in it, whatever the route: here, where the route's tenant is known, not in
 * handlers. Platform staff still reach it (to read it, and to reinstate it). The
 * members' other tenants are not affected.
 */
export const refuseSuspended = (principal: Principal, tenantId: string | undefined): ApiError | null => {
  if (tenantId === undefined || principal.kind === 'operator' || principal.grants.platformRoles.length > 0) return null;
  if (!principal.suspendedTenantIds.includes(tenantId.toLowerCase())) return null;
  return new ApiError(403, 'tenant_suspended', 'This tenant is suspended; its members cannot use it until it is reinstated.');
};

/** Authorisation of a call to an endpoint guarded by `permission` (anything but 'public', 'optional' and 'authenticated'). */
const authorizeCall = (
  principal: Principal,
  permission: Exclude<Permission, 'public' | 'optional' | 'authenticated'>,
  params: Record<string, string | undefined>,
  now: Date,
): ApiError | null => {
  const tenantId = params.tenantId ?? null;
  if (typeof permission === 'string') return authorize(principal, permission, tenantId, now);
  const own = principal.kind === 'user' && params[permission.ownSession] === principal.session.id;
  if (!own) return authorize(principal, permission.action, tenantId, now);
  return can(principal.grants, 'tenants.read', tenantId) ? null : new ApiError(403, 'forbidden', 'You are not a member of this tenant.');
};

export interface RouteSecurity {
  readonly authenticate: Authenticator;
  readonly now: () => Date;
  /** Request limits per credential, and per source for requests without one. */
  readonly limiter: RateLimiter;
}

/**
 * Registers one Fastify route per declared endpoint. Authentication and
 * authorisation run in onRequest, before the body is read, so a caller without
 * the permission can't make us buffer and parse anything. Params, query and
 * body are parsed with the endpoint's (strict) zod schemas; the handler's
 * result is parsed with the response schema before it is sent, so a handler
 * can't leak a field the contract doesn't declare.
 */
export const registerRoutes = <T extends EndpointTable>(app: FastifyInstance, table: T, handlers: HandlerTable<T>, security: RouteSecurity): void => {
  assertHandlersMatch(table, handlers);
  assertPermissionsDeclared(table);
  const principals = new WeakMap<FastifyRequest, Principal>();

  for (const [name, endpoint] of Object.entries(table)) {
    const handler = handlers[name as keyof T] as unknown as (ctx: RequestContext<Endpoint>) => Promise<unknown>;
    const permission = endpoint.permission;
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      ...(permission !== 'public'
        ? {
            onRequest: async (request: FastifyRequest) => {
              // 'optional': open to callers without credentials; a credential sent must be valid and names the caller.
              if (permission === 'optional' && request.headers.authorization === undefined) return;
              const result = await security.authenticate(request.headers.authorization);
              // A caller without valid credentials spends the tight anonymous budget: guessing tokens is a flood like any other.
              if (!result.ok) throw security.limiter.anonymous(request.ip) ?? unauthenticated(result.reason);
              const limited = security.limiter.principal(result.principal);
              if (limited) throw limited;
              const suspended = refuseSuspended(result.principal, (request.params as Record<string, string | undefined>).tenantId);
              if (suspended) throw suspended;
              // A tenant API token reaches only endpoints guarded by an action its scopes can name.
              if (permission === 'authenticated' && result.principal.kind === 'api_token') {
                throw new ApiError(403, 'forbidden', 'This endpoint is not open to tenant API tokens.');
              }
              if (permission !== 'authenticated' && permission !== 'optional') {
                const denied = authorizeCall(result.principal, permission, request.params as Record<string, string | undefined>, security.now());
                if (denied) throw denied;
              }
              principals.set(request, result.principal);
            },
          }
        : {
            onRequest: async (request: FastifyRequest) => {
              const limited = security.limiter.anonymous(request.ip);
              if (limited) throw limited;
            },
          }),
      handler: async (request, reply) => {
        const principal = principals.get(request) ?? null;
        if (permission !== 'public' && permission !== 'optional' && !principal) throw new Error(`route ${name} reached its handler unauthenticated`);
        const ctx: RequestContext<Endpoint> = {
          params: parseInput(endpoint.params, request.params, 'params'),
          query: parseInput(endpoint.query, request.query, 'query'),
          body: parseInput(endpoint.body, request.body, 'body'),
          requestId: request.id,
          principal,
          ip: request.ip,
          // Stored with the session: printable text only, whatever the client's HTTP stack let through.
          userAgent: userAgentOf(request),
          log: request.log,
        };
        if (endpoint.stream) {
          const streamed = (await handler(ctx)) as StreamedReply;
          if (!(streamed.contentType in endpoint.stream.contentTypes)) throw new Error(`route ${name} streamed an undeclared ${streamed.contentType}`);
          const body = Readable.from(streamed.body);
          body.on('error', (err) => request.log.error({ err, endpoint: name }, 'streamed response failed'));
          reply.status(endpoint.status);
          reply.header('content-type', `${streamed.contentType}; charset=utf-8`);
          reply.header('content-disposition', `attachment; filename="${streamed.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
          reply.header('cache-control', 'no-store');
          return reply.send(body);
        }
        if (endpoint.document) {
          const doc = (await handler(ctx)) as DocumentReply;
          if (!endpoint.document.contentTypes.includes(doc.contentType)) throw new Error(`route ${name} served an undeclared ${doc.contentType}`);
          const etag = `"${createHash('sha256').update(doc.body).digest('base64url')}"`;
          reply.header('cache-control', `public, max-age=${endpoint.document.maxAgeSeconds}`);
          reply.header('etag', etag);
          if (doc.contentSecurityPolicy) reply.header('content-security-policy', doc.contentSecurityPolicy);
          const match = request.headers['if-none-match'];
          if (match !== undefined && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.status(304).send();
          reply.status(endpoint.status);
          reply.header('content-type', `${doc.contentType}; charset=utf-8`);
          return reply.send(doc.body);
        }
        const result = endpoint.response.safeParse(await handler(ctx));
        if (!result.success) {
          request.log.error({ endpoint: name, issues: result.error.issues }, 'handler result does not match the response schema');
          throw new Error(`response of ${name} does not match its schema`);
        }
        reply.status(endpoint.status);
        return endpoint.status === 204 ? reply.send() : reply.send(result.data);
      },
    });
  }
};
