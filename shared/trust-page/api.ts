/** Request and response shapes of the trust page endpoints (see shared/api/endpoints.ts). */
import { z } from 'zod';
import { Timestamp, Hex32 } from '../common/primitives';

export const TRUST_PAGE_FORMATS = ['html', 'markdown'] as const;
export type TrustPageFormat = (typeof TRUST_PAGE_FORMATS)[number];
export const TrustPageFormatSchema = z.enum(TRUST_PAGE_FORMATS);

export const TRUST_PAGE_CONTENT_TYPES: Readonly<Record<TrustPageFormat, string>> = { html: 'text/html', markdown: 'text/markdown' };

export const TrustPagePreviewRequestSchema = z.object({ format: TrustPageFormatSchema }).strict().meta({ id: 'TrustPagePreviewRequest' });

/** The page of the current evaluation, not signed, not anchored, not published: it says so at its top. */
export const TrustPagePreviewSchema = z
  .object({
    format: TrustPageFormatSchema,
    contentType: z.string(),
    preview: z.literal(true),
    evaluatedAt: Timestamp,
    body: z.string(),
  })
  .strict()
  .meta({ id: 'TrustPagePreview' });
export type TrustPagePreview = z.infer<typeof TrustPagePreviewSchema>;

export const TrustPagePublicationSchema = z
  .object({
    id: z.uuid(),
    publishedAt: Timestamp,
    /** Where anyone reads it without a token: /trust/<slug> (and /trust/<slug>/snapshot.json). */
    path: z.string(),
    snapshotId: z.uuid(),
    /** The snapshot's SHA-256, as in its audit event. */
    sha256: Hex32,
    /** The tree head the page's proof is under. */
    treeSize: z.number().int().positive(),
  })
  .strict()
  .meta({ id: 'TrustPagePublication' });
export type TrustPagePublication = z.infer<typeof TrustPagePublicationSchema>;

export const TrustPagePublicationListSchema = z
  .object({ items: z.array(TrustPagePublicationSchema) })
  .strict()
  .meta({ id: 'TrustPagePublicationList' });

export const TrustPagePublicationQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(366).default(50) }).strict();

/** Any text: a slug that is malformed is as unknown as one nobody holds (404, not 400). */
export const TrustSlugParamsSchema = z.object({ tenantSlug: z.string().min(1).max(100) }).strict();

/** How long browsers and proxies may keep a public page before asking again (then an ETag answers 304). */
export const TRUST_PAGE_MAX_AGE_SECONDS = 300;
