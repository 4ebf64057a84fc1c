import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../shared/api/endpoints';
import type { Db } from '../db/db';
import { accessReviewHandlers } from '../access-reviews/access-review-handlers';
import { apiTokenHandlers } from '../api-tokens/api-token-handlers';
import { approvalHandlers } from '../approvals/approval-handlers';
import { authHandlers } from '../auth/auth-handlers';
import { openAuthenticator } from '../auth/authenticate';
import type { KeyRing } from '../crypto/key-ring';
import { argon2Hasher, type PasswordHasher } from '../identity/passwords';
import { auditHandlers } from '../audit/audit-handlers';
import { ephemeralAuditSigner, type AuditSigner } from '../audit/signing-key';
import { startTreeHeadTimer, treeHeadSigning } from '../audit/tree-heads';
import { incidentHandlers } from '../incidents/incident-handlers';
import { memberHandlers } from '../members/member-handlers';
import { peopleHandlers } from '../people/people-handlers';
import { sessionHandlers } from '../sessions/session-handlers';
import { flagReviewHandlers } from '../sessions/flag-review-handlers';
import { tenantHandlers } from '../tenants/tenant-handlers';
import { postureHandlers, postureRuntimeOf } from '../posture/posture-handlers';
import { trustPageHandlers } from '../trust-page/trust-page-handlers';
import { remediationHandlers } from '../posture/remediation-handlers';
import { startDailySnapshots } from '../posture/daily-snapshots';
import { TLS_PROFILE } from '../tls/tls-profile';
import { HSTS_MAX_AGE_SECONDS } from './security-headers';
import { SERVICE_VERSION } from '../version';
import { buildHttpApp, type LoggerOption, type TlsIdentity } from './app';
import type { HandlerDeps, HandlerTable } from './handler';
import { metaHandlers } from './meta-handlers';
import { buildOpenApiDocument } from './openapi';
import type { RateLimits } from '../../shared/policy/rate-limits';

export interface BuildServerOptions {
  readonly db: Db;
  /** PEM key and certificate. null serves plain HTTP: for the benchmark's baseline only; the CLI is HTTPS-only. */
  readonly tls: TlsIdentity | null;
  readonly logger?: LoggerOption;
  readonly now?: () => Date;
  /** Seals TOTP secrets; startService loads it from `<dataDir>/keys/secrets.key`. */
  readonly keys: KeyRing;
  /** Default: argon2id at ARGON2_PARAMS. */
  readonly hasher?: PasswordHasher;
  /** Signs audit tree heads; startService loads it from `<dataDir>/keys/audit-signing/`. Default: a key in memory (tests). */
  readonly auditSigner?: AuditSigner;
  /** How often tree heads are signed for logs that grew; default 10 s. */
  readonly treeHeadIntervalMs?: number;
  /** Take the daily posture snapshots (service/posture/daily-snapshots.ts); the CLI's service does, test services do not unless asked. */
  readonly postureSnapshots?: { readonly intervalMs?: number };
  /** Request rate limits; default RATE_LIMIT_POLICY (shared/policy/rate-limits.ts); false turns them off. */
  readonly rateLimits?: RateLimits | false;
}

export const createHandlers = (deps: HandlerDeps): HandlerTable<typeof endpoints> => ({
  ...metaHandlers(deps),
  ...tenantHandlers(deps),
  ...authHandlers(deps),
  ...memberHandlers(deps),
  ...sessionHandlers(deps),
  ...flagReviewHandlers(deps),
  ...auditHandlers(deps),
  ...incidentHandlers(deps),
  ...approvalHandlers(deps),
  ...accessReviewHandlers(deps),
  ...apiTokenHandlers(deps),
  ...postureHandlers(deps),
  ...trustPageHandlers(deps),
  ...remediationHandlers(deps),
  ...peopleHandlers(deps),
});

/** The Attest service's HTTP server (not yet listening). */
export const buildServer = async (options: BuildServerOptions): Promise<FastifyInstance> => {
  const now = options.now ?? (() => new Date());
  const deps: HandlerDeps = {
    db: options.db,
    now,
    version: SERVICE_VERSION,
    openapi: buildOpenApiDocument(endpoints, { version: SERVICE_VERSION }),
    keys: options.keys,
    hasher: options.hasher ?? (await argon2Hasher()),
    audit: treeHeadSigning(options.db, options.auditSigner ?? ephemeralAuditSigner(), now),
    // The same profile buildHttpApp hands the listener (service/tls/tls-profile.ts), and the HSTS max-age the headers send.
    transport: { tls: options.tls ? { minVersion: TLS_PROFILE.minVersion } : null, hstsMaxAgeSeconds: HSTS_MAX_AGE_SECONDS },
  };
  const auth = await openAuthenticator(options.db, now);
  const app = await buildHttpApp({
    tls: options.tls,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    endpoints,
    handlers: createHandlers(deps),
    authenticate: auth.authenticate,
    now,
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
  });
  app.addHook('onClose', () => auth.close());
  const heads = startTreeHeadTimer(options.db, deps.audit, {
    ...(options.treeHeadIntervalMs ? { intervalMs: options.treeHeadIntervalMs } : {}),
    onError: (err) => app.log.error({ err }, 'signing audit tree heads failed'),
  });
  app.addHook('onClose', () => heads.stop());
  if (options.postureSnapshots) {
    const snapshots = startDailySnapshots(options.db, postureRuntimeOf(deps), now, {
      ...(options.postureSnapshots.intervalMs ? { intervalMs: options.postureSnapshots.intervalMs } : {}),
      onError: (err) => app.log.error({ err }, 'taking posture snapshots failed'),
    });
    app.addHook('onClose', () => snapshots.stop());
  }
  return app;
};
