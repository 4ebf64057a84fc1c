/**
 * The Electron implementation of the core's PdfPrinter: a hidden window with no
 * script, no Node and a session of its own that may load the one document and
 * nothing else, printToPDF, the bytes saved 0600, the window destroyed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session, type Session } from 'electron';
import { htmlDataUrl, MAX_DATA_URL_CHARS, PRINT_PARTITION, PRINT_TO_PDF_OPTIONS, PRINT_WINDOW_PREFERENCES, savePdf, type PdfPrinter } from '../core/documents/pdf-printer';

/** Locks the print session down once: no permission, no download, and only the documents being printed may load. */
function printSession(allowed: Set<string>): Session {
  const ses = session.fromPartition(PRINT_PARTITION, { cache: false });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !allowed.has(details.url) }));
  return ses;
}

export function createElectronPdfPrinter(): PdfPrinter {
  const allowed = new Set<string>();
  let ses: Session | undefined;
  return {
    async printToFile(html, path) {
      ses ??= printSession(allowed);
      const dataUrl = htmlDataUrl(html);
      // Large documents go through a private temp file: Chromium refuses longer URLs.
      const tempDir = dataUrl.length > MAX_DATA_URL_CHARS ? await mkdtemp(join(tmpdir(), 'attest-print-')) : null;
      let url = dataUrl;
      if (tempDir !== null) {
        const file = join(tempDir, 'document.html');
        await writeFile(file, html, { mode: 0o600 });
        url = pathToFileURL(file).href;
      }
      const window = new BrowserWindow({ show: false, width: 794, height: 1123, webPreferences: { ...PRINT_WINDOW_PREFERENCES, session: ses } });
      const contents = window.webContents;
      contents.setWindowOpenHandler(() => ({ action: 'deny' }));
      contents.on('will-navigate', (event) => event.preventDefault());
      contents.on('will-redirect', (event) => event.preventDefault());
      contents.on('will-attach-webview', (event) => event.preventDefault());
      allowed.add(url);
      try {
        await window.loadURL(url);
        const pdf = await contents.printToPDF(PRINT_TO_PDF_OPTIONS);
        await savePdf(path, pdf);
      } finally {
        allowed.delete(url);
        window.destroy();
        if (tempDir !== null) await rm(tempDir, { recursive: true, force: true });
      }
    },
  };
}
