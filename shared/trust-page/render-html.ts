import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64 } from '../audit/tree-head';
import { escapeHtml, oneLine } from './escape';
import type { TrustPageModel } from './model';
import { aboutOf, headingOf, PREVIEW_NOTICE, VERIFY_NOTE } from './page-text';

const STYLE = [
  ':root{color-scheme:light dark;--fg:#1c2127;--muted:#5f6b7c;--bg:#fff;--line:#dce0e5;--warn:#935610;--claim:#1c6e42}',
  '@media (prefers-color-scheme:dark){:root{--fg:#f6f7f9;--muted:#abb3bf;--bg:#1c2127;--line:#404854;--warn:#fbb360;--claim:#72ca9b}}',
  'body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);max-width:48rem;margin:2rem auto;padding:0 1rem}',
  'h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}',
  'p{margin:.4rem 0}.about,footer{color:var(--muted);font-size:.9rem}.statement{color:var(--warn);font-weight:600}.remediation{color:var(--warn);margin-left:1rem}',
  '.claim{border-left:3px solid var(--claim);padding-left:.6rem}.preview{border:2px solid var(--warn);padding:.5rem;font-weight:600}',
  'footer{margin-top:2rem;border-top:1px solid var(--line);padding-top:.5rem;overflow-wrap:anywhere}',
  '@media print{:root{--fg:#000;--muted:#333;--bg:#fff;--warn:#000;--claim:#000}body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}p{break-inside:avoid}}',
].join('\n');

const styleHash = toBase64(sha256(new TextEncoder().encode(STYLE)));

/** The page's stylesheet as a CSP source: the console's own policy allows it, since its preview and print frames (srcdoc) inherit that policy. */
export const TRUST_PAGE_STYLE_SOURCE = `'sha256-${styleHash}'`;

/** The page's policy: nothing may load or run; only its own stylesheet (by hash) applies. */
export const TRUST_PAGE_META_CSP = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
/** The same as a header, where frame-ancestors also counts. */
export const TRUST_PAGE_CSP = `${TRUST_PAGE_META_CSP}; frame-ancestors 'none'`;

/** The bundle's JSON as inert text: escaped for HTML inside a hidden <pre> (no script element, not even a data block). */
const evidenceBlock = (evidenceJson: string | null): string => (evidenceJson === null ? '' : `<pre id="attest-evidence" hidden>${escapeHtml(evidenceJson)}</pre>\n`);

/**
 * A self-contained page: no scripts, no external resource, a strict CSP, a print
 * stylesheet; every text escaped. `evidenceJson` is the bundle's JSON text exactly
 * as embedded (verify re-renders with the text it found, so it is not re-serialised).
 */
export const renderTrustPageHtml = (model: TrustPageModel, evidenceJson: string | null): string => {
  const name = escapeHtml(oneLine(model.subject.name));
  const sections = model.sections
    .map(
      (s) =>
        `<section>\n<h2>${escapeHtml(s.title)}</h2>\n` +
        s.sentences.map((t) => `<p class="${t.kind}" data-control="${escapeHtml(t.controlId)}">${escapeHtml(t.text)}</p>\n`).join('') +
        '</section>\n',
    )
    .join('');
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${TRUST_PAGE_META_CSP}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n' +
    `<title>${escapeHtml(headingOf({ ...model, subject: { ...model.subject, name: oneLine(model.subject.name) } }))}</title>\n` +
    `<style>${STYLE}</style>\n</head>\n<body>\n<header>\n` +
    (model.preview ? `<p class="preview" data-preview="true">${escapeHtml(PREVIEW_NOTICE)}</p>\n` : '') +
    `<h1 data-subject="${escapeHtml(model.subject.slug)}">${name}: security and trust</h1>\n` +
    `<p class="about">${escapeHtml(aboutOf(model))}</p>\n</header>\n<main>\n${sections}</main>\n` +
    `<footer>\n<p>${escapeHtml(VERIFY_NOTE)}</p>\n</footer>\n` +
    evidenceBlock(evidenceJson) +
    '</body>\n</html>\n'
  );
};
