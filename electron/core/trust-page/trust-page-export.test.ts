import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRole } from '../../../shared/identity/roles';
import { PREVIEW_NOTICE } from '../../../shared/trust-page/page-text';
import { verifyTrustPage } from '../../../shared/trust-page/verify';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import type { ChooseExportPath } from '../audit/audit-console';
import { chromiumPdfPrinter } from '../documents/chromium-pdf-printer.fixture';
import type { PdfPrinter } from '../documents/pdf-printer';
import { readPdf } from '../documents/poppler.fixture';
import { ok, signIn, startConsole } from '../testing/console-under-test.fixture';

const oneLine = (pages: string[]) => pages.join(' ').replace(/\s+/g, ' ');

describe('trust page saved as Markdown and PDF (core, real service, real Chromium)', () => {
  let service: RealService;
  let printer: Awaited<ReturnType<typeof chromiumPdfPrinter>>;
  const cleanup: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    service = await startRealService();
    printer = await chromiumPdfPrinter();
  });
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await printer.close();
    await service.close();
  });

  const setUp = async (role: TenantRole, opts: { pdfPrinter?: PdfPrinter; chooseExportPath?: ChooseExportPath } = {}) => {
    const tenantId = await service.tenant();
    const user = await service.user({ memberships: [{ tenantId, role }] });
    const offered: string[] = [];
    const c = await startConsole(service, cleanup, {
      chooseExportPath: opts.chooseExportPath ?? (async (name) => (offered.push(name), join(c.dataDir, 'exports', name))),
      ...(opts.pdfPrinter ? { pdfPrinter: opts.pdfPrinter } : {}),
    });
    await signIn(service, c, user);
    const publish = async () => {
      expect(await c.call('auth.stepUp', { code: await service.code(user.secret) })).toMatchObject({ ok: true });
      return ok<'trustPage.publish'>(await c.call('trustPage.publish', { tenantId }));
    };
    return { tenantId, c, offered, publish };
  };

  it('Electron: the preview and the published page print to PDF, each saying what it is; nothing published is refused first', async () => {
    const { tenantId, c, publish } = await setUp('owner', { pdfPrinter: printer });
    await expect(c.call('trustPage.export', { tenantId, page: 'published', format: 'pdf' })).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });

    const preview = ok<'trustPage.export'>(await c.call('trustPage.export', { tenantId, page: 'preview', format: 'pdf' }));
    expect(preview).toMatchObject({ format: 'pdf', page: 'preview', saved: true, printHtml: null, filename: `trust-page-preview-${preview.asOf.slice(0, 10)}.pdf` });
    const previewPdf = readPdf(readFileSync(preview.path!));
    expect(previewPdf.javaScript).toBe(false);
    expect(previewPdf.pageSize).toMatch(/A4/);
    expect(oneLine(previewPdf.text)).toContain(PREVIEW_NOTICE.slice(0, 60));

    const publication = await publish();
    const published = ok<'trustPage.export'>(await c.call('trustPage.export', { tenantId, page: 'published', format: 'pdf' }));
    expect(published).toMatchObject({ format: 'pdf', page: 'published', saved: true, asOf: publication.publishedAt });
    expect(published.filename).toMatch(/^trust-page-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf$/);
    const text = oneLine(readPdf(readFileSync(published.path!)).text);
    expect(text).toContain('security and trust');
    expect(text).toContain('Check it offline with');
    expect(text).not.toContain('Preview:');
  });

  it('Markdown: the published page keeps its evidence and verifies with the shared verifier; a second save never overwrites the first', async () => {
    const { tenantId, c, publish, offered } = await setUp('owner');
    const publication = await publish();
    const first = ok<'trustPage.export'>(await c.call('trustPage.export', { tenantId, page: 'published', format: 'markdown' }));
    expect(first).toMatchObject({ format: 'markdown', page: 'published', saved: true });
    const markdown = await readFile(first.path!, 'utf8');
    expect(markdown).toMatch(/^<!-- attest-trust-page v1 -->/);
    expect(markdown).toContain('<!-- attest-evidence');
    // The very Markdown the service stored when it published (rendered in the core from the signed bundle).
    const [stored] = await service.db.tenant(tenantId, (tx) => tx.query<{ markdown: string }>('SELECT markdown FROM trust_page_publications WHERE id = $1', [publication.id]));
    expect(markdown).toBe(stored!.markdown);
    const shared = verifyTrustPage(markdown);
    expect(shared).toMatchObject({ ok: true });
    const inConsole = ok<'trustPage.verify'>(await c.call('trustPage.verify', { source: 'text', name: first.filename, text: markdown }));
    expect(inConsole).toMatchObject({ state: 'checked', ok: true, keyPinned: true });

    await writeFile(first.path!, 'mine, do not touch');
    const second = ok<'trustPage.export'>(await c.call('trustPage.export', { tenantId, page: 'published', format: 'markdown' }));
    expect(second.filename).toBe(first.filename.replace(/\.md$/, ' (2).md'));
    expect(await readFile(first.path!, 'utf8')).toBe('mine, do not touch');
    expect(offered).toEqual([first.filename, first.filename]);

    const preview = ok<'trustPage.export'>(await c.call('trustPage.export', { tenantId, page: 'preview', format: 'markdown' }));
    expect(preview).toMatchObject({ page: 'preview', saved: true });
    const previewText = await readFile(preview.path!, 'utf8');
    expect(previewText).toContain(PREVIEW_NOTICE.slice(0, 40));
    expect(previewText).not.toContain('attest-evidence');
    expect(verifyTrustPage(previewText)).toMatchObject({ ok: false });
  });

  it('browser mode: a PDF hands the page printable HTML and writes nothing; a cancelled dialog saves nothing', async () => {
    const { tenantId, c, offered, publish } = await setUp('admin');
    const pdf = ok<'trustPage.export'>(await c.call('trustPage.export', { tenantId, page: 'preview', format: 'pdf' }));
    expect(pdf).toMatchObject({ format: 'pdf', saved: false, path: null, printHtml: expect.stringMatching(/^<!DOCTYPE html>/i) });
    if (pdf.format === 'pdf') expect(pdf.printHtml).not.toMatch(/<script(?![^>]*application\/json)/i);
    expect(offered).toEqual([]);
    const publication = await publish();
    const published = ok<'trustPage.export'>(await c.call('trustPage.export', { tenantId, page: 'published', format: 'pdf' }));
    const [stored] = await service.db.tenant(tenantId, (tx) => tx.query<{ html: string }>('SELECT html FROM trust_page_publications WHERE id = $1', [publication.id]));
    expect(published).toMatchObject({ format: 'pdf', page: 'published', saved: false, path: null, printHtml: stored!.html });
    expect(offered).toEqual([]);

    const cancelling = await setUp('admin', { chooseExportPath: async () => null });
    const cancelled = ok<'trustPage.export'>(await cancelling.c.call('trustPage.export', { tenantId: cancelling.tenantId, page: 'preview', format: 'markdown' }));
    expect(cancelled).toMatchObject({ saved: false, path: null });
    await expect(readdir(join(cancelling.c.dataDir, 'exports'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a viewer, another tenant, bad input and a renderer naming a path', async () => {
    const viewer = await setUp('viewer');
    await expect(viewer.c.call('trustPage.export', { tenantId: viewer.tenantId, page: 'preview', format: 'pdf' })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const { tenantId, c } = await setUp('owner');
    const other = await service.tenant();
    await expect(c.call('trustPage.export', { tenantId: other, page: 'preview', format: 'markdown' })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(c.call('trustPage.export', { tenantId: other, page: 'published', format: 'pdf' })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const input of [
      { tenantId, page: 'preview', format: 'docx' },
      { tenantId, page: 'draft', format: 'markdown' },
      { tenantId, page: 'preview', format: 'markdown', path: '/tmp/x.md' },
      { tenantId: 'nope', page: 'preview', format: 'pdf' },
      { tenantId, format: 'pdf' },
    ]) {
      await expect(c.call('trustPage.export', input)).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });
});
