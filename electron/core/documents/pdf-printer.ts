import { replaceFileDurably } from '../../../shared/node/durable-file';

/**
 * Turns a printable HTML document into a PDF file. The contract lives here, in
 * plain Node; each shell brings its implementation. Electron's main process
 * prints with a hidden, locked-down window (electron/main/pdf-printer.ts).
 * Browser mode has none: the core hands the HTML to the page, which prints it.
 */
export interface PdfPrinter {
  /** Renders `html` (a whole document that loads nothing) and saves the PDF at `path`, readable by the user only. */
  printToFile(html: string, path: string): Promise<void>;
}

/**
 * The options the Electron printer passes to webContents.printToPDF: A4 from the
 * document's own @page rule (its page-number footer included), backgrounds kept,
 * an outline from the headings and a tagged PDF for screen readers.
 */
export const PRINT_TO_PDF_OPTIONS = {
  pageSize: 'A4',
  preferCSSPageSize: true,
  printBackground: true,
  displayHeaderFooter: false,
  generateDocumentOutline: true,
  generateTaggedPDF: true,
} as const;

/**
 * The hidden print window's preferences: no script at all (the document has none
 * and needs none), no Node, sandboxed, isolated (its session is PRINT_PARTITION).
 */
export const PRINT_WINDOW_PREFERENCES = {
  javascript: false,
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  images: false,
  webgl: false,
  plugins: false,
  devTools: false,
  disableBlinkFeatures: 'Auxclick',
} as const;

/** An in-memory session for the print window alone, so the main window's session never serves it. */
export const PRINT_PARTITION = 'attest-print';

/** The document as the URL the print window loads: nothing leaves the process, and it carries no origin of ours. */
export const htmlDataUrl = (html: string): string => `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;

/** Chromium refuses URLs over 2 MiB; a document beyond this goes through a private temp file instead. */
export const MAX_DATA_URL_CHARS = 2 * 1024 * 1024 - 1024;

/** Saves the printed bytes: a temp file of mode 0600 renamed over the target, so an old file's wider mode never survives. */
export const savePdf = (path: string, pdf: Uint8Array): Promise<void> => replaceFileDurably(path, pdf);
