import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PRINT_STYLESHEET, PRINT_STYLESHEET_SOURCE } from '../../../shared/incidents/print-stylesheet';
import { incidentDocumentHtml, printableTitle } from './document-html';

const notice = {
  document: 'breach' as const,
  markdown: '# Notice of a personal data breach: Leaked <keys>\n\nTo: Acme & Söhne\n\n## Nature of the incident\n\n<script>alert(1)</script> [docs](javascript:alert(2))\n',
  incidentTitle: 'Leaked <keys>',
  tenantName: 'Acme & Söhne',
  generatedAt: new Date('2026-11-23T03:40:12.000Z'),
};

describe('incidentDocumentHtml', () => {
  it('is one document: its own policy, a title, the header (incident, tenant, kind, generated at) and the Markdown as HTML', () => {
    const html = incidentDocumentHtml(notice);
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${PRINT_STYLESHEET_SOURCE}; base-uri 'none'; form-action 'none'">`);
    expect(html).toContain('<title>Notice of a personal data breach: Leaked &lt;keys&gt; (Acme &amp; Söhne)</title>');
    expect(html).toContain('<div class="doc-kind">Notice of a personal data breach</div>');
    expect(html).toContain('<div class="doc-incident">Leaked &lt;keys&gt;</div>');
    expect(html).toContain('<dd class="doc-tenant">Acme &amp; Söhne</dd>');
    expect(html).toContain('<dd class="doc-generated">2026-11-23 03:40 UTC</dd>');
    expect(html).toContain('<h1>Notice of a personal data breach: Leaked &lt;keys&gt;</h1>\n<p>To: Acme &amp; Söhne</p>\n<h2>Nature of the incident</h2>');
    expect(html).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt; docs</p>');
    expect(html.endsWith('</main>\n</body>\n</html>\n')).toBe(true);
  });

  it('has no script, no link, no image and no attribute other than the few it sets itself', () => {
    const html = incidentDocumentHtml(notice);
    expect(html).not.toMatch(/<(script|a|img|iframe|object|embed|link|base|form)\b/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toContain('javascript:');
    const attributes = [...html.matchAll(/<\w+((?:\s+[\w-]+="[^"]*")*)\s*>/g)].flatMap((m) => [...m[1]!.matchAll(/\s([\w-]+)="/g)].map((a) => a[1]));
    expect(new Set(attributes)).toEqual(new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class']));
  });

  it('allows exactly its stylesheet, by hash', () => {
    const digest = createHash('sha256').update(Buffer.from(PRINT_STYLESHEET, 'utf8')).digest('base64');
    expect(PRINT_STYLESHEET_SOURCE).toBe(`'sha256-${digest}'`);
    expect(incidentDocumentHtml(notice)).toContain(`<style>${PRINT_STYLESHEET}</style>`);
    expect(PRINT_STYLESHEET).toContain('size: A4');
    expect(PRINT_STYLESHEET).toContain('counter(pages)');
  });

  it('heads the review with every affected tenant and no tenant in its title', () => {
    const review = { ...notice, document: 'review' as const, tenantName: null, markdown: '# Post-incident review: Leaked keys\n' };
    expect(printableTitle(review)).toBe('Post-incident review: Leaked <keys>');
    const html = incidentDocumentHtml(review);
    expect(html).toContain('<dd class="doc-tenant">All affected tenants</dd>');
    expect(html).toContain('<div class="doc-kind">Post-incident review</div>');
  });
});
