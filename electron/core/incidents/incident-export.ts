import type { z } from 'zod';
import type { IncidentExportInputSchema, IncidentExportResultSchema } from '../../../shared/ipc/incidents';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { ChooseExportPath } from '../audit/audit-console';
import type { ServiceClient } from '../client/service-client';
import { CoreError, describeCause } from '../core-error';
import type { PdfPrinter } from '../documents/pdf-printer';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import { incidentDocumentHtml } from './document-html';

export interface IncidentExportOptions {
  client: Pick<ServiceClient, 'call'>;
  chooseExportPath: ChooseExportPath;
  /** Prints documents to PDF files; absent in browser mode, where the page prints the HTML the export returns. */
  pdfPrinter?: PdfPrinter | undefined;
  now: () => Date;
}

export type IncidentExport = (
  scope: TenantId,
  input: z.output<typeof IncidentExportInputSchema>,
) => Promise<z.output<typeof IncidentExportResultSchema>>;

/** Notices and the post-incident review, as the service renders them (never from the offline copy), saved as Markdown or PDF. */
export function createIncidentExport({ client, chooseExportPath, pdfPrinter, now }: IncidentExportOptions): IncidentExport {
  const save = async (path: string, write: (path: string) => Promise<void>): Promise<void> => {
    try {
      await write(path);
    } catch (error) {
      throw new CoreError('internal_error', `The export could not be written (${describeCause(error)}).`, { cause: error });
    }
  };
  return async (scope, { incidentId, document, tenantId, format }) => {
    const doc =
      document === 'review'
        ? await client.call('exportIncidentReview', { params: { tenantId: scope, incidentId } })
        : await client.call('exportIncidentNotice', { params: { tenantId: tenantId ?? scope, incidentId, kind: document } });
    if (format === 'markdown') {
      const path = await chooseExportPath(doc.filename);
      if (path !== null) await save(path, (p) => replaceFileDurably(p, doc.markdown));
      return { format, saved: path !== null, filename: doc.filename, markdown: doc.markdown };
    }
    const filename = doc.filename.replace(/\.md$/, '') + '.pdf';
    const html = incidentDocumentHtml({ document, markdown: doc.markdown, incidentTitle: doc.incidentTitle, tenantName: doc.tenantName, generatedAt: now() });
    if (!pdfPrinter) return { format, saved: false, filename, printHtml: html };
    const path = await chooseExportPath(filename);
    if (path !== null) await save(path, (p) => pdfPrinter.printToFile(html, p));
    return { format, saved: path !== null, filename, printHtml: null };
  };
}
