import { chromium } from 'playwright';
import { PRINT_TO_PDF_OPTIONS, savePdf, type PdfPrinter } from './pdf-printer';

/**
 * A real PdfPrinter for tests in plain Node: Chromium through Playwright, with
 * scripts off and the Electron printer's options translated to page.pdf's names
 * (both end in Chromium's Page.printToPDF).
 */
export async function chromiumPdfPrinter(): Promise<PdfPrinter & { readonly printed: number; close(): Promise<void> }> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  let printed = 0;
  return {
    get printed() {
      return printed;
    },
    async printToFile(html, path) {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      try {
        const page = await context.newPage();
        await page.setContent(html);
        const pdf = await page.pdf({
          format: PRINT_TO_PDF_OPTIONS.pageSize,
          preferCSSPageSize: PRINT_TO_PDF_OPTIONS.preferCSSPageSize,
          printBackground: PRINT_TO_PDF_OPTIONS.printBackground,
          displayHeaderFooter: PRINT_TO_PDF_OPTIONS.displayHeaderFooter,
          outline: PRINT_TO_PDF_OPTIONS.generateDocumentOutline,
          tagged: PRINT_TO_PDF_OPTIONS.generateTaggedPDF,
        });
        await savePdf(path, pdf);
        printed++;
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}
