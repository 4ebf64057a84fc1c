import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Endpoint, HttpMethod } from '../../shared/api/endpoints';
import type { AuthenticatedOperator, OperatorAuthenticator } from '../operators/operator-auth';
import { ApiError, issuesFrom } from './api-error';
import type { HandlerTable, RequestContext } from './handler';

export type EndpointTable = Readonly<Record<string, Endpoint>>;

const WWW_AUTHENTICATE = 'Bearer realm="attest"';

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

/**
 * Registers one Fastify route per declared endpoint. Authentication runs in
 * onRequest, before the body is read, so an unauthenticated caller can't make us
 * buffer and parse anything. Params, query and body are parsed with the
 * endpoint's (strict) zod schemas; the handler's result is parsed with the
 * response schema before it is sent, so a handler can't leak a field the
 * contract doesn't declare.
 */
export const registerRoutes = <T extends EndpointTable>(
  app: FastifyInstance,
  table: T,
  handlers: HandlerTable<T>,
  authenticate: OperatorAuthenticator,
): void => {
  assertHandlersMatch(table, handlers);
  const operators = new WeakMap<FastifyRequest, AuthenticatedOperator>();

  for (const [name, endpoint] of Object.entries(table)) {
    const handler = handlers[name as keyof T] as unknown as (ctx: RequestContext<Endpoint>) => Promise<unknown>;
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      ...(endpoint.auth === 'operator'
        ? {
            onRequest: async (request: FastifyRequest) => {
              const result = await authenticate(request.headers.authorization);
              if (result.ok) {
                operators.set(request, result.operator);
                return;
              }
              if (result.reason === 'missing') {
                throw new ApiError(401, 'auth_required', 'This endpoint requires an operator token (Authorization: Bearer …).', undefined, {
                  'www-authenticate': WWW_AUTHENTICATE,
                });
              }
              throw new ApiError(401, 'invalid_token', 'The token is not valid.', undefined, {
                'www-authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"`,
              });
            },
          }
        : {}),
      handler: async (request, reply) => {
        const operator = operators.get(request) ?? null;
        if (endpoint.auth === 'operator' && !operator) throw new Error(`route ${name} reached its handler unauthenticated`);
        const ctx: RequestContext<Endpoint> = {
          params: parseInput(endpoint.params, request.params, 'params'),
          query: parseInput(endpoint.query, request.query, 'query'),
          body: parseInput(endpoint.body, request.body, 'body'),
          requestId: request.id,
          operator,
          log: request.log,
        };
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
