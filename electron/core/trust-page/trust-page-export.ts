import { basename } from 'node:path';
import type { z } from 'zod';
import type { AuditKeySchema } from '../../../shared/audit/tree-head';
import { fileNamePart } from '../../../shared/incidents/export-name';
import type { TrustPageExportInputSchema, TrustPageExportResult } from '../../../shared/ipc/trust-page';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import type { TrustPagePublication } from '../../../shared/trust-page/api';
import { buildTrustPageModel } from '../../../shared/trust-page/model';
import { renderTrustPageHtml } from '../../../shared/trust-page/render-html';
import { renderTrustPageMarkdown } from '../../../shared/trust-page/render-markdown';
import type { ChooseExportPath } from '../audit/audit-console';
import type { ServiceClient } from '../client/service-client';
import { CoreError, describeCause } from '../core-error';
import { claimFreePath } from '../documents/free-path';
import type { PdfPrinter } from '../documents/pdf-printer';
import { verifyPageText } from './verify-file';

export interface TrustPageExportOptions {
  client: Pick<ServiceClient, 'call'>;
  chooseExportPath: ChooseExportPath;
  /** Prints documents to PDF files; absent in browser mode, where the page prints the HTML the export returns. */
  pdfPrinter?: PdfPrinter | undefined;
  publications(tenantId: string): Promise<TrustPagePublication[]>;
  serviceKeys(): Promise<readonly z.infer<typeof AuditKeySchema>[] | null>;
}

export type TrustPageExport = (input: z.output<typeof TrustPageExportInputSchema>) => Promise<TrustPageExportResult>;

interface PageDocument {
  page: 'preview' | 'published';
  asOf: string;
  /** The file name without extension. */
  stem: string;
  text: string;
}

const slugOf = (publication: TrustPagePublication): string => decodeURIComponent(publication.path.replace(/^\/trust\//, '').split('/')[0] ?? '');

/** Writes under a name no file has, beside the chosen path (never over one); returns where it went. */
async function saveFree(chosen: string, write: (path: string) => Promise<void>): Promise<string> {
  try {
    const path = await claimFreePath(chosen);
    await write(path);
    return path;
  } catch (error) {
    throw new CoreError('internal_error', `The trust page could not be written (${describeCause(error)}). Pick another folder and try again.`, { cause: error });
  }
}

/**
 * The trust page as Markdown or PDF: the preview as the service renders it (marked
 * as a preview), or the latest published page rendered from its signed bundle with
 * the evidence embedded, checked with the shared verifier before it is saved.
 */
export function createTrustPageExport({ client, chooseExportPath, pdfPrinter, publications, serviceKeys }: TrustPageExportOptions): TrustPageExport {
  const previewOf = async (tenantId: string, format: 'html' | 'markdown'): Promise<PageDocument> => {
    const preview = await client.call('previewTrustPage', { params: { tenantId }, body: { format } });
    return { page: 'preview', asOf: preview.evaluatedAt, stem: `trust-page-preview-${preview.evaluatedAt.slice(0, 10)}`, text: preview.body };
  };
  const publishedOf = async (tenantId: string, format: 'html' | 'markdown'): Promise<PageDocument> => {
    const [latest] = await publications(tenantId);
    if (!latest) throw new CoreError('not_found', 'Nothing is published yet: publish the trust page first, then save it.');
    const bundle = await client.call('publicTrustPageBundle', { params: { tenantSlug: slugOf(latest) } });
    const evidenceJson = JSON.stringify(bundle);
    const model = buildTrustPageModel({ subject: bundle.subject, posture: bundle.snapshot.posture, snapshot: bundle.snapshot });
    const stem = `trust-page-${fileNamePart(bundle.subject.slug)}-${latest.publishedAt.slice(0, 10)}`;
    const text = format === 'html' ? renderTrustPageHtml(model, evidenceJson) : renderTrustPageMarkdown(model, evidenceJson);
    // Never hand over as "published" a page that does not verify against the service's own key.
    const check = verifyPageText(stem, text, await serviceKeys());
    if (!check.ok) throw new CoreError('unexpected_response', `The published page does not verify (${check.code ?? 'unknown'}): ${check.message} Nothing was saved.`);
    return { page: 'published', asOf: latest.publishedAt, stem, text };
  };
  const documentOf = (tenantId: string, page: 'preview' | 'published', format: 'html' | 'markdown') =>
    page === 'preview' ? previewOf(tenantId, format) : publishedOf(tenantId, format);

  return async ({ tenantId, page, format }) => {
    if (format === 'markdown') {
      const doc = await documentOf(tenantId, page, 'markdown');
      const filename = `${doc.stem}.md`;
      const chosen = await chooseExportPath(filename);
      const path = chosen === null ? null : await saveFree(chosen, (p) => replaceFileDurably(p, doc.text));
      return { format, page, asOf: doc.asOf, saved: path !== null, filename: path === null ? filename : basename(path), path };
    }
    const doc = await documentOf(tenantId, page, 'html');
    const filename = `${doc.stem}.pdf`;
    if (!pdfPrinter) return { format, page, asOf: doc.asOf, saved: false, filename, path: null, printHtml: doc.text };
    const chosen = await chooseExportPath(filename);
    const path = chosen === null ? null : await saveFree(chosen, (p) => pdfPrinter.printToFile(doc.text, p));
    return { format, page, asOf: doc.asOf, saved: path !== null, filename: path === null ? filename : basename(path), path, printHtml: null };
  };
}
