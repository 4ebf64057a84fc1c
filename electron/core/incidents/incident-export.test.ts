import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantId } from '../../../shared/tenants/tenant';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import type { ChooseExportPath } from '../audit/audit-console';
import { chromiumPdfPrinter } from '../documents/chromium-pdf-printer.fixture';
import type { PdfPrinter } from '../documents/pdf-printer';
import { readPdf } from '../documents/poppler.fixture';
import { fileNamePart } from '../../../shared/incidents/export-name';
import { ok, signIn, startConsole as startTestConsole } from '../testing/console-under-test.fixture';

/** Exporting an incident's documents through the console core, against the real service over HTTPS. */
describe('incident document export (core, against the real service)', () => {
  let service: RealService;
  let tenantId: TenantId;
  let printer: Awaited<ReturnType<typeof chromiumPdfPrinter>>;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    service = await startRealService();
    tenantId = await service.tenant();
    printer = await chromiumPdfPrinter();
  });
  afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await printer.close();
    await service.close();
  });

  const startConsole = async (opts: { chooseExportPath?: ChooseExportPath; pdfPrinter?: PdfPrinter }) => {
    const { call, dataDir } = await startTestConsole(service, closers, { alertIntervalMs: 0, ...opts });
    await signIn(service, { call }, await service.user({ platformRoles: ['security_officer'] }));
    const incident = ok<'incidents.create'>(
      await call('incidents.create', {
        title: 'Leaked keys <img src=x onerror=alert(1)>',
        description: '<script>alert("stolen")</script> Keys found in a paste; see [the runbook](javascript:alert(2)).',
        severity: 'P1',
        personalData: true,
        affectedTenantIds: [tenantId],
        detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
        awareAt: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    ).incident;
    const view = ok<'incidents.get'>(await call('incidents.get', { incidentId: incident.id }));
    const tenantName = view.notices.find((n) => n.tenantId === tenantId)!.tenantName;
    /** The name a document of this incident is saved under: the incident, the kind, the tenant. */
    const named = (kind: string, ext: string, tenant: string | null = null) =>
      `incident-leaked-keys-img-src-x-onerror-alert-1-${incident.id.slice(0, 8)}-${kind}${tenant === null ? '' : `-${fileNamePart(tenant, 30)}`}.${ext}`;
    return { call, dataDir, incident, tenantName, named };
  };

  it('browser mode: a PDF export hands the page the notice as printable HTML, escaped, and writes nothing', async () => {
    const { call, dataDir, incident, tenantName, named } = await startConsole({});
    const result = ok<'incidents.export'>(await call('incidents.export', { incidentId: incident.id, document: 'regulator', tenantId, format: 'pdf' }));
    expect(result).toMatchObject({ format: 'pdf', saved: false, path: null, filename: named('regulator-notice', 'pdf', tenantName) });
    const html = result.format === 'pdf' ? result.printHtml! : '';
    expect(html).toContain(`<title>Personal data breach notification to the supervisory authority: Leaked keys &lt;img src=x onerror=alert(1)&gt; (${tenantName})</title>`);
    expect(html).toContain(`<dd class="doc-tenant">${tenantName}</dd>`);
    expect(html).toContain('&lt;script&gt;alert(&quot;stolen&quot;)&lt;/script&gt; Keys found in a paste; see the runbook.');
    expect(html).not.toMatch(/<(script|img|a)\b/i);
    expect(html).not.toContain('javascript:');
    expect(existsSync(join(dataDir, 'exports'))).toBe(false);
  });

  it('Electron: a PDF export prints the review where the user chose, 0600; cancelling prints nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-chosen-'));
    const asked: string[] = [];
    let answer: string | null = join(dir, 'chosen.pdf');
    const { call, incident, named } = await startConsole({
      pdfPrinter: printer,
      chooseExportPath: async (name) => {
        asked.push(name);
        return answer;
      },
    });
    writeFileSync(join(dir, 'chosen.pdf'), 'an older file anyone could read', { mode: 0o644 });
    const result = ok<'incidents.export'>(await call('incidents.export', { incidentId: incident.id, document: 'review', format: 'pdf' }));
    // The older file is kept: the export goes beside it, and says where.
    const path = join(dir, 'chosen (2).pdf');
    expect(result).toEqual({ format: 'pdf', saved: true, filename: 'chosen (2).pdf', path, printHtml: null });
    expect(asked).toEqual([named('review', 'pdf')]);
    expect(readFileSync(join(dir, 'chosen.pdf'), 'utf8')).toBe('an older file anyone could read');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const pdf = readPdf(readFileSync(path));
    expect(pdf).toMatchObject({ title: 'Post-incident review: Leaked keys <img src=x onerror=alert(1)>', pageSize: expect.stringContaining('(A4)'), javaScript: false });
    expect(pdf.text).toHaveLength(pdf.pages);
    const text = pdf.text.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Post-incident review: Leaked keys <img src=x onerror=alert(1)>');
    expect(text).toContain('<script>alert("stolen")</script> Keys found in a paste; see the runbook.');
    expect(pdf.text[0]).toContain(`Page 1 of ${pdf.pages}`);

    const printedBefore = printer.printed;
    answer = null;
    const cancelled = ok<'incidents.export'>(await call('incidents.export', { incidentId: incident.id, document: 'review', format: 'pdf' }));
    expect(cancelled).toEqual({ format: 'pdf', saved: false, filename: named('review', 'pdf'), path: null, printHtml: null });
    expect(printer.printed).toBe(printedBefore);
  });

  it('Markdown stays the default format, saved 0600; exporting twice gives two files and never overwrites one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-chosen-'));
    const path = join(dir, 'notice.md');
    writeFileSync(path, 'old', { mode: 0o644 });
    const { call, incident, tenantName, named } = await startConsole({ chooseExportPath: async () => path, pdfPrinter: printer });
    const exports = await Promise.all([1, 2].map(() => call('incidents.export', { incidentId: incident.id, document: 'customer', tenantId }).then((r) => ok<'incidents.export'>(r))));
    const paths = exports.map((r) => r.path).sort();
    expect(paths).toEqual([join(dir, 'notice (2).md'), join(dir, 'notice (3).md')]);
    expect(readFileSync(path, 'utf8')).toBe('old');
    for (const r of exports) {
      expect(r).toMatchObject({ format: 'markdown', saved: true });
      expect(readFileSync(r.path!, 'utf8')).toBe(r.format === 'markdown' ? r.markdown : null);
      expect(readFileSync(r.path!, 'utf8')).toContain(`To: ${tenantName}`);
      expect(statSync(r.path!).mode & 0o777).toBe(0o600);
    }
    // The name the chooser is offered carries the incident, the kind and the tenant.
    const offered: string[] = [];
    const second = await startConsole({ chooseExportPath: async (name) => (offered.push(name), null) });
    ok(await second.call('incidents.export', { incidentId: second.incident.id, document: 'customer', tenantId }));
    expect(offered).toEqual([second.named('customer-notice', 'md', second.tenantName)]);
    expect(named('customer-notice', 'md', tenantName)).toMatch(/^incident-leaked-keys-.*-customer-notice-.+\.md$/);
    expect(await call('incidents.export', { incidentId: incident.id, document: 'review', format: 'docx' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
