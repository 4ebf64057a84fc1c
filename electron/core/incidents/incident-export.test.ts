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
    return { call, dataDir, incident, tenantName };
  };

  it('browser mode: a PDF export hands the page the notice as printable HTML, escaped, and writes nothing', async () => {
    const { call, dataDir, incident, tenantName } = await startConsole({});
    const result = ok<'incidents.export'>(await call('incidents.export', { incidentId: incident.id, document: 'regulator', tenantId, format: 'pdf' }));
    expect(result).toMatchObject({ format: 'pdf', saved: false, filename: `incident-${incident.id.slice(0, 8)}-regulator-notice.pdf` });
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
    const { call, incident } = await startConsole({
      pdfPrinter: printer,
      chooseExportPath: async (name) => {
        asked.push(name);
        return answer;
      },
    });
    writeFileSync(join(dir, 'chosen.pdf'), 'an older file anyone could read', { mode: 0o644 });
    const result = ok<'incidents.export'>(await call('incidents.export', { incidentId: incident.id, document: 'review', format: 'pdf' }));
    expect(result).toEqual({ format: 'pdf', saved: true, filename: `incident-${incident.id.slice(0, 8)}-review.pdf`, printHtml: null });
    expect(asked).toEqual([`incident-${incident.id.slice(0, 8)}-review.pdf`]);
    const path = join(dir, 'chosen.pdf');
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
    expect(cancelled).toEqual({ format: 'pdf', saved: false, filename: `incident-${incident.id.slice(0, 8)}-review.pdf`, printHtml: null });
    expect(printer.printed).toBe(printedBefore);
  });

  it('Markdown stays the default format, and is saved 0600 over an older file too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-chosen-'));
    const path = join(dir, 'notice.md');
    writeFileSync(path, 'old', { mode: 0o644 });
    const { call, incident, tenantName } = await startConsole({ chooseExportPath: async () => path, pdfPrinter: printer });
    const result = ok<'incidents.export'>(await call('incidents.export', { incidentId: incident.id, document: 'customer', tenantId }));
    expect(result).toMatchObject({ format: 'markdown', saved: true, filename: `incident-${incident.id.slice(0, 8)}-customer-notice.md` });
    expect(readFileSync(path, 'utf8')).toBe(result.format === 'markdown' ? result.markdown : null);
    expect(readFileSync(path, 'utf8')).toContain(`To: ${tenantName}`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await call('incidents.export', { incidentId: incident.id, document: 'review', format: 'docx' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
