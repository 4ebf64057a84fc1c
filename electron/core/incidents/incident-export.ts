import type { z } from 'zod';
import type { IncidentExportInputSchema, IncidentExportResultSchema } from '../../../shared/ipc/incidents';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { ChooseExportPath } from '../audit/audit-console';
import type { ServiceClient } from '../client/service-client';
import { CoreError, describeCause } from '../core-error';
import type { PdfPrinter } from '../documents/pdf-printer';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import { basename } from 'node:path';
import { incidentExportName } from '../../../shared/incidents/export-name';
import { claimFreePath } from '../documents/free-path';
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
  /** Writes beside the chosen path under a name no file has (never over one); returns where it went. */
  const save = async (chosen: string, write: (path: string) => Promise<void>): Promise<string> => {
    try {
      const path = await claimFreePath(chosen);
      await write(path);
      return path;
    } catch (error) {
      throw new CoreError('internal_error', `The export could not be written (${describeCause(error)}).`, { cause: error });
    }
  };
  return async (scope, { incidentId, document, tenantId, format }) => {
    const doc =
      document === 'review'
        ? await client.call('exportIncidentReview', { params: { tenantId: scope, incidentId } })
        : await client.call('exportIncidentNotice', { params: { tenantId: tenantId ?? scope, incidentId, kind: document } });
    const name = (extension: 'md' | 'pdf') => incidentExportName({ incidentId, incidentTitle: doc.incidentTitle, document, tenantName: doc.tenantName, extension });
    if (format === 'markdown') {
      const filename = name('md');
      const chosen = await chooseExportPath(filename);
      const path = chosen === null ? null : await save(chosen, (p) => replaceFileDurably(p, doc.markdown));
      return { format, saved: path !== null, filename: path === null ? filename : basename(path), path, markdown: doc.markdown };
    }
    const filename = name('pdf');
    const html = incidentDocumentHtml({ document, markdown: doc.markdown, incidentTitle: doc.incidentTitle, tenantName: doc.tenantName, generatedAt: now() });
    if (!pdfPrinter) return { format, saved: false, filename, path: null, printHtml: html };
    const chosen = await chooseExportPath(filename);
    const path = chosen === null ? null : await save(chosen, (p) => pdfPrinter.printToFile(html, p));
    return { format, saved: path !== null, filename: path === null ? filename : basename(path), path, printHtml: null };
  };
}
