/**
 * IPC shapes of the console's trust page screens: preview, publish (step-up),
 * publications, verify a file (in the core, with the shared verifier), and save
 * the latest published page's signed evidence bundle.
 */
import { z } from 'zod';
import { TrustPagePreviewSchema, TrustPagePublicationSchema } from '../trust-page/api';
import { PostureScopeSchema } from './posture';

const Scope = z.object({ tenantId: PostureScopeSchema }).strict();

/** A page file is at most this big (a published page is tens of KiB). */
export const TRUST_PAGE_FILE_MAX_CHARS = 5_000_000;

export const TrustPageVerifyInputSchema = z.discriminatedUnion('source', [
  /** Electron: the core opens a file dialog; the renderer never names a path. */
  z.object({ source: z.literal('dialog') }).strict(),
  /** Browser mode (no dialog in the core): the file the person chose in the page, as text. */
  z.object({ source: z.literal('text'), name: z.string().min(1).max(255), text: z.string().max(TRUST_PAGE_FILE_MAX_CHARS) }).strict(),
]);

export const TrustPageVerifyResultSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('cancelled') }).strict(),
  z
    .object({
      state: z.literal('checked'),
      /** The file's name (not its folder). */
      file: z.string(),
      ok: z.boolean(),
      /** The first thing that does not hold (a TRUST_PAGE_FAILURES code), null when all hold. */
      code: z.string().nullable(),
      /** In words: what was checked, or what failed. */
      message: z.string(),
      /** True when the signature was checked against the service's own published key, not only the key the page embeds. */
      keyPinned: z.boolean(),
    })
    .strict(),
]);
export type TrustPageVerifyResult = z.infer<typeof TrustPageVerifyResultSchema>;

export const TrustPageBundleExportSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('saved'), path: z.string(), bytes: z.number().int().nonnegative(), publishedAt: z.string() }).strict(),
  z.object({ state: z.literal('cancelled') }).strict(),
]);

export const TrustPageExportInputSchema = z
  .object({
    tenantId: PostureScopeSchema,
    /** The preview of the current evaluation, or the latest published page (with its embedded, signed evidence). */
    page: z.enum(['preview', 'published']),
    format: z.enum(['markdown', 'pdf']),
  })
  .strict();

/**
 * As incident exports: saved where the core chooses, never over a file (a taken name gets " (2)");
 * `path` null when nothing was saved. Browser mode's core cannot print: it hands the page the HTML
 * to print from a sandboxed frame (printHtml, saved false). `asOf`: the preview's evaluation time,
 * or the published page's publication time.
 */
const ExportBase = { page: z.enum(['preview', 'published']), asOf: z.string(), saved: z.boolean(), filename: z.string(), path: z.string().nullable() };
export const TrustPageExportResultSchema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('markdown'), ...ExportBase }).strict(),
  z.object({ format: z.literal('pdf'), ...ExportBase, printHtml: z.string().nullable() }).strict(),
]);
export type TrustPageExportResult = z.infer<typeof TrustPageExportResultSchema>;

export const trustPageChannels = {
  /** The current evaluation's page as HTML, for preview (not signed, not published; it says so). */
  'trustPage.preview': { input: Scope, output: TrustPagePreviewSchema },
  'trustPage.publications': { input: Scope, output: z.array(TrustPagePublicationSchema) },
  /** Owners and admins; step-up. Served to anyone from then on. */
  'trustPage.publish': { input: Scope, output: TrustPagePublicationSchema },
  /** Checks a page or snapshot.json: signature, every sentence re-rendered, inclusion proof. */
  'trustPage.verify': { input: TrustPageVerifyInputSchema, output: TrustPageVerifyResultSchema },
  /** Saves the latest published page's signed snapshot bundle (snapshot.json) where the user picks; fails with not_found before one. */
  'trustPage.exportBundle': { input: Scope, output: TrustPageBundleExportSchema },
  /** The previewed or the latest published page as Markdown or PDF, saved where the core chooses; the renderer never names a path. */
  'trustPage.export': { input: TrustPageExportInputSchema, output: TrustPageExportResultSchema },
} as const;
