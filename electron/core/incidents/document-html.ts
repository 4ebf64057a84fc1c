import { documentLabel, type IncidentDocument } from '../../../shared/incidents/documents';
import { escapeHtmlText, markdownToHtml } from '../documents/markdown-html';
import { PRINT_STYLESHEET, PRINT_STYLESHEET_SOURCE } from '../../../shared/incidents/print-stylesheet';

/**
 * An incident document (a notice or the review) as one printable HTML page,
 * made from the same Markdown the Markdown export saves. Electron prints these
 * bytes to PDF; browser mode hands them to the page, which prints them from a
 * sandboxed frame. Nothing in it runs or loads: no script, no link target, no
 * image, and its own Content-Security-Policy allows only its stylesheet.
 */

export interface PrintableIncidentDocument {
  document: IncidentDocument;
  markdown: string;
  incidentTitle: string;
  /** The tenant a notice is addressed to; null for the review, which covers every affected tenant. */
  tenantName: string | null;
  generatedAt: Date;
}

const POLICY = `default-src 'none'; style-src ${PRINT_STYLESHEET_SOURCE}; base-uri 'none'; form-action 'none'`;

const stamp = (at: Date): string => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The document's title: the PDF's title and the name a print dialog suggests. */
export function printableTitle(doc: Pick<PrintableIncidentDocument, 'document' | 'incidentTitle' | 'tenantName'>): string {
  return `${documentLabel(doc.document)}: ${doc.incidentTitle}${doc.tenantName === null ? '' : ` (${doc.tenantName})`}`;
}

export function incidentDocumentHtml(doc: PrintableIncidentDocument): string {
  const label = escapeHtmlText(documentLabel(doc.document));
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtmlText(printableTitle(doc))}</title>`,
    `<style>${PRINT_STYLESHEET}</style>`,
    '</head>',
    '<body>',
    '<header class="doc-header">',
    `<div class="doc-kind">${label}</div>`,
    `<div class="doc-incident">${escapeHtmlText(doc.incidentTitle)}</div>`,
    '<dl class="doc-meta">',
    `<dt>Tenant</dt><dd class="doc-tenant">${escapeHtmlText(doc.tenantName ?? 'All affected tenants')}</dd>`,
    `<dt>Document</dt><dd>${label}</dd>`,
    `<dt>Generated</dt><dd class="doc-generated">${stamp(doc.generatedAt)}</dd>`,
    '</dl>',
    '</header>',
    '<main class="doc-body">',
    markdownToHtml(doc.markdown).trimEnd(),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
