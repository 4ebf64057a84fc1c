import type { endpoints } from '../../shared/api/endpoints';
import { TRUST_PAGE_CONTENT_TYPES } from '../../shared/trust-page/api';
import { TrustSlugSchema } from '../../shared/trust-page/bundle';
import { TRUST_PAGE_CSP } from '../../shared/trust-page/render-html';
import type { TenantId } from '../../shared/tenants/tenant';
import { actorOf } from '../auth/principal';
import { inLog } from '../audit/tree-heads';
import { PLATFORM_TENANT_ID } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { evaluateAll, inPostureScope } from '../posture/evaluate';
import { postureRuntimeOf } from '../posture/posture-handlers';
import { getTenant } from '../tenants/tenant-repository';
import { activeTenantIdBySlug, latestPage, listPublications, type StoredPage } from './publication-repository';
import { publishTrustPage, renderPreview, subjectOf } from './publish';

const notPublished = (): ApiError => new ApiError(404, 'not_found', 'No trust page is published at this address.');

export const trustPageHandlers = (deps: HandlerDeps) => {
  const { db, now } = deps;
  const runtime = postureRuntimeOf(deps);
  const existing = async (tenantId: string): Promise<string> => {
    if (tenantId !== PLATFORM_TENANT_ID && !(await db.tenant(tenantId as TenantId, getTenant))) throw new ApiError(404, 'not_found', 'No tenant with this id.');
    return tenantId;
  };
  /** The latest published page of a slug: the slug resolved in the platform scope, the page read in the tenant's own. */
  const published = async (slug: string): Promise<StoredPage> => {
    // A malformed slug (control characters, NUL, …) names no page: 404 without a query.
    if (!TrustSlugSchema.safeParse(slug).success) throw notPublished();
    const tenantId = await db.platform((tx) => activeTenantIdBySlug(tx, slug, PLATFORM_TENANT_ID));
    const page = tenantId === null ? null : await inLog(db, tenantId, latestPage);
    if (!page) throw notPublished();
    return page;
  };
  return {
    previewTrustPage: async ({ params, body }) => {
      const tenantId = await existing(params.tenantId);
      return inPostureScope(db, tenantId, { runtime, now: now() }, async (ctx) => {
        const posture = await evaluateAll(ctx, tenantId);
        return {
          format: body.format,
          contentType: TRUST_PAGE_CONTENT_TYPES[body.format],
          preview: true as const,
          evaluatedAt: posture.evaluatedAt,
          body: renderPreview(await subjectOf(ctx.tenant), posture, body.format),
        };
      });
    },
    publishTrustPage: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const tenantId = await existing(params.tenantId);
      await deps.audit.publishKey();
      return inPostureScope(db, tenantId, { runtime, now: now() }, (ctx, own) =>
        publishTrustPage(ctx, own, { tenantId, signer: deps.audit.signer, actor: actorOf(principal), requestId }),
      );
    },
    listTrustPagePublications: async ({ params, query }) => {
      const tenantId = await existing(params.tenantId);
      return inPostureScope(db, tenantId, { runtime, now: now() }, async (ctx, own) => ({
        items: await listPublications(own, (await subjectOf(ctx.tenant)).slug, query.limit),
      }));
    },
    publicTrustPage: async ({ params }) => ({
      contentType: 'text/html',
      body: (await published(params.tenantSlug)).html,
      contentSecurityPolicy: TRUST_PAGE_CSP,
    }),
    publicTrustPageBundle: async ({ params }) => ({ contentType: 'application/json', body: (await published(params.tenantSlug)).bundle }),
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
