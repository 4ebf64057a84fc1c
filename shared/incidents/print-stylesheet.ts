import { sha256 } from '@noble/hashes/sha2.js';

/** A4, calm, and the page number in the footer of every page (CSS page margin boxes, so both shells print it). */
export const PRINT_STYLESHEET = `
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-left { content: "Attest · incident document"; font: 8pt/1.2 "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: #6b7280; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt/1.2 "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: #6b7280; }
}
:root { color-scheme: light; }
html { background: #fff; }
body { margin: 0; color: #1f2328; font: 10.5pt/1.55 Georgia, "Times New Roman", "DejaVu Serif", serif; }
.doc-header { border-bottom: 1.5pt solid #1f2328; padding-bottom: 8pt; margin-bottom: 14pt; font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
.doc-kind { font-size: 8.5pt; letter-spacing: 0.08em; text-transform: uppercase; color: #4b5563; }
.doc-incident { font-size: 15pt; font-weight: 600; margin: 2pt 0 6pt; }
.doc-meta { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 10pt; margin: 0; font-size: 8.5pt; color: #374151; }
.doc-meta dt { font-weight: 600; }
.doc-meta dd { margin: 0; }
h1, h2, h3, h4, h5, h6 { font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; line-height: 1.25; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 14pt; margin: 0 0 10pt; }
h2 { font-size: 11.5pt; margin: 16pt 0 6pt; padding-bottom: 2pt; border-bottom: 0.5pt solid #d1d5db; }
h3, h4, h5, h6 { font-size: 10.5pt; margin: 12pt 0 4pt; }
p, ul, ol, blockquote, pre, table { margin: 0 0 8pt; }
ul, ol { padding-left: 16pt; }
li { margin-bottom: 2pt; break-inside: avoid; page-break-inside: avoid; }
blockquote { border-left: 2pt solid #d1d5db; padding-left: 8pt; color: #374151; }
code, pre { font: 9pt/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: 6pt 8pt; border-radius: 3pt; }
hr { border: 0; border-top: 0.5pt solid #d1d5db; margin: 12pt 0; }
.link-target { color: #4b5563; overflow-wrap: anywhere; }
.doc-body { overflow-wrap: break-word; }
@media screen { body { max-width: 174mm; margin: 24px auto; padding: 0 24px; } }
`;

/**
 * The CSP source that allows exactly PRINT_STYLESHEET as an inline style: the
 * document's own policy, and the renderer's (browser mode prints from a srcdoc
 * frame, which inherits the page's policy).
 */
export const PRINT_STYLESHEET_SOURCE = `'sha256-${btoa(String.fromCharCode(...sha256(new TextEncoder().encode(PRINT_STYLESHEET))))}'`;
