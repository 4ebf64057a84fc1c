import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/principal';
import { ApiError } from './api-error';
import { sendApiError, toApiError } from './error-reply';
import { logSafeError } from './log-safe-error';
import type { HandlerTable } from './handler';
import { allowedMethods, registerRoutes, type EndpointTable } from './route-table';
import { createRateLimiter } from './rate-limit';
import { FALLBACK_SECURITY_HEADERS, registerSecurityHeaders } from './security-headers';
import { RATE_LIMIT_POLICY, type RateLimits } from '../../shared/policy/rate-limits';
import { capConnectionsPerAddress, httpServerTimeouts, TRANSPORT_LIMITS } from './transport-limits';
import { TLS_PROFILE } from '../tls/tls-profile';

export const BODY_LIMIT = 64 * 1024;

export interface TlsIdentity {
  readonly key: string;
  readonly cert: string;
}

export type LoggerOption = false | { level?: string; stream?: NodeJS.WritableStream };

export interface HttpAppOptions<T extends EndpointTable> {
  /** PEM key and certificate. null serves plain HTTP: for the benchmark's baseline only. */
  readonly tls: TlsIdentity | null;
  /** Logs go to stderr by default (stdout belongs to the CLI's ready line). */
  readonly logger?: LoggerOption;
  readonly endpoints: T;
  readonly handlers: HandlerTable<T>;
  readonly authenticate: Authenticator;
  /** The clock authorisation checks step-up windows against. */
  readonly now?: () => Date;
  /** Request limits (default RATE_LIMIT_POLICY); false turns them off. */
  readonly rateLimits?: RateLimits | false;
}

/** The generic HTTP shell: transport, headers, request ids, errors, and one route per declared endpoint. */
export const buildHttpApp = async <T extends EndpointTable>(options: HttpAppOptions<T>): Promise<FastifyInstance> => {
  const { tls } = options;
  const common = {
    logger:
      options.logger === false
        ? false
        : {
            level: options.logger?.level ?? 'info',
            stream: options.logger?.stream ?? process.stderr,
            // The default serializers log no headers; this keeps it so if that ever changes.
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
            // Code and message of an error, never the statement's values a database error carries.
            serializers: { err: (err: unknown) => logSafeError(err) },
          },
    // Our own id on every request; a client-supplied x-request-id is not trusted (it could forge log lines).
    genReqId: () => randomUUID(),
    requestIdHeader: false as const,
    bodyLimit: BODY_LIMIT,
    connectionTimeout: TRANSPORT_LIMITS.idleTimeoutMs,
    keepAliveTimeout: TRANSPORT_LIMITS.keepAliveTimeoutMs,
    requestTimeout: TRANSPORT_LIMITS.requestTimeoutMs,
    return503OnClosing: true,
    // Errors Fastify raises before routing (an undecodable URL) skip the hooks; answer them like any other.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      reply.headers({ ...FALLBACK_SECURITY_HEADERS, 'x-request-id': request.id });
      return sendApiError(reply, toApiError(error, request, BODY_LIMIT), request.id);
    },
  };
  const app: FastifyInstance = tls
    ? Fastify({
        ...common,
        https: { key: tls.key, cert: tls.cert, ...TLS_PROFILE, handshakeTimeout: TRANSPORT_LIMITS.handshakeTimeoutMs, ...httpServerTimeouts },
      })
    : Fastify({ ...common, http: httpServerTimeouts });
  capConnectionsPerAddress(app.server, TRANSPORT_LIMITS.maxConnectionsPerAddress);

  const limiter = createRateLimiter(options.rateLimits ?? RATE_LIMIT_POLICY);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await registerSecurityHeaders(app);
  // Before any route's own work (authentication included): unknown routes and bad tokens spend a flood's budget too.
  app.addHook('onRequest', async (request) => {
    const limited = limiter.source(request.ip);
    if (limited) throw limited;
  });
  // JSON only: text/plain bodies get 415 like any other type.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((err, request, reply) => sendApiError(reply, toApiError(err, request, BODY_LIMIT), request.id));
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(options.endpoints, request.url);
    if (allowed.length > 0) {
      const methods = [...new Set(allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])))].join(', ');
      return sendApiError(
        reply,
        new ApiError(405, 'method_not_allowed', `${request.method} is not allowed here; use ${methods}.`, undefined, { allow: methods }),
        request.id,
      );
    }
    const path = (request.url.split('?')[0] ?? '').slice(0, 200);
    return sendApiError(reply, new ApiError(404, 'route_not_found', `No route ${request.method} ${path}.`), request.id);
  });

  registerRoutes(app, options.endpoints, options.handlers, { authenticate: options.authenticate, now: options.now ?? (() => new Date()), limiter });
  return app;
};
