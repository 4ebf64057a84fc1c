import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../shared/api/endpoints';
import type { Db } from '../db/db';
import { createOperatorAuthenticator } from '../operators/operator-auth';
import { tenantHandlers } from '../tenants/tenant-handlers';
import { SERVICE_VERSION } from '../version';
import { buildHttpApp, type LoggerOption, type TlsIdentity } from './app';
import type { HandlerDeps, HandlerTable } from './handler';
import { metaHandlers } from './meta-handlers';
import { buildOpenApiDocument } from './openapi';

export interface BuildServerOptions {
  readonly db: Db;
  /** PEM key and certificate. null serves plain HTTP: for the benchmark's baseline only; the CLI is HTTPS-only. */
  readonly tls: TlsIdentity | null;
  readonly logger?: LoggerOption;
  readonly now?: () => Date;
}

export const createHandlers = (deps: HandlerDeps): HandlerTable<typeof endpoints> => ({
  ...metaHandlers(deps),
  ...tenantHandlers(deps),
});

/** The Attest service's HTTP server (not yet listening). */
export const buildServer = (options: BuildServerOptions): Promise<FastifyInstance> => {
  const now = options.now ?? (() => new Date());
  const deps: HandlerDeps = {
    db: options.db,
    now,
    version: SERVICE_VERSION,
    openapi: buildOpenApiDocument(endpoints, { version: SERVICE_VERSION }),
  };
  return buildHttpApp({
    tls: options.tls,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    endpoints,
    handlers: createHandlers(deps),
    authenticate: createOperatorAuthenticator(options.db, now),
  });
};
