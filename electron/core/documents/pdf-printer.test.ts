import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlDataUrl, PRINT_TO_PDF_OPTIONS, PRINT_WINDOW_PREFERENCES, savePdf } from './pdf-printer';

describe('the Electron printer, its plain-Node parts', () => {
  it('prints A4 from the document’s own page rule, backgrounds kept, without Chromium’s header and footer', () => {
    expect(PRINT_TO_PDF_OPTIONS).toMatchObject({ pageSize: 'A4', preferCSSPageSize: true, printBackground: true, displayHeaderFooter: false });
  });

  it('opens the document with no script, no Node, sandboxed and isolated', () => {
    expect(PRINT_WINDOW_PREFERENCES).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, devTools: false });
    expect(PRINT_WINDOW_PREFERENCES).not.toHaveProperty('preload');
  });

  it('loads the document as a data: URL holding exactly its bytes', () => {
    const html = '<!doctype html><title>Ünï &amp; “quotes”</title>#?%';
    const url = htmlDataUrl(html);
    expect(url.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    expect(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8')).toBe(html);
  });

  it('saves the PDF readable by the user only, also over an existing file that others could read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-pdf-'));
    const path = join(dir, 'review.pdf');
    writeFileSync(path, 'old', { mode: 0o644 });
    await savePdf(path, Buffer.from('%PDF-1.4 new'));
    expect(readFileSync(path, 'latin1')).toBe('%PDF-1.4 new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
