import { writeFileSync } from 'node:fs';
import { readPdf } from '../electron/core/documents/poppler.fixture';
import { expect, test } from './support/fixtures';

const NOTE = 'Attacker payload <img src=x onerror="document.title=1"> <script>alert(1)</script>';

/**
 * Browser mode's PDF export: the core hands the page the document's HTML, the
 * page shows it in a script-less frame and opens the print dialog there. The same
 * HTML printed by Chromium is a PDF holding the document.
 */
test('exports a notice and the review as PDF in browser mode: print preview, print, and the same HTML prints to a PDF', async ({ page, openConsole, signIn }) => {
  test.setTimeout(120_000);
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused/i.test(m.text())) refused.push(m.text());
  });
  await openConsole();
  await signIn(page);
  await page.getByTestId('nav-incidents').click();
  // The demo's P0 breach: it has notices for Northwind Health and Acme Analytics.
  await page.getByTestId('incident-list').getByRole('row').filter({ hasText: 'Patient export bucket' }).click();
  const incidentPage = page.getByTestId('incident-page');
  await expect(incidentPage).toBeVisible();

  await page.getByTestId('incident-export').click();
  const menu = page.getByTestId('incident-export-menu');
  await expect(menu).toBeVisible();
  await expect(menu.getByTestId('export-review-pdf')).toBeVisible();
  await expect(menu.locator('[data-testid="export-breach-pdf"][data-tenant="Northwind Health"]')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/incident-export-menu.png' });

  await menu.locator('[data-testid="export-breach-pdf"][data-tenant="Northwind Health"]').click();
  const preview = page.getByRole('dialog', { name: /^Print preview/ });
  await expect(preview).toBeVisible();
  const frame = page.getByTestId('print-frame');
  await expect(frame).toHaveAttribute('sandbox', 'allow-same-origin allow-modals');
  // The page asked the browser to print once the document was in the frame.
  await expect(frame).toHaveAttribute('data-printed', 'true');
  const html = (await frame.getAttribute('srcdoc')) ?? '';
  expect(html).toContain('<title>Notice of a personal data breach: Patient export bucket readable without authentication (Northwind Health)</title>');
  const inFrame = page.frameLocator('[data-testid="print-frame"]');
  await expect(inFrame.locator('.doc-tenant')).toHaveText('Northwind Health');
  await expect(inFrame.locator('.doc-kind')).toHaveText('Notice of a personal data breach');
  await expect(inFrame.locator('h1')).toHaveText('Notice of a personal data breach: Patient export bucket readable without authentication');
  await expect(inFrame.locator('main')).toContainText('To: Northwind Health');
  // Its stylesheet applies (the renderer's policy allows it by hash) and nothing in it may run.
  await expect(inFrame.locator('.doc-header')).toHaveCSS('border-bottom-style', 'solid');
  await expect(inFrame.locator('.doc-header')).toHaveCSS('font-family', /Helvetica Neue/);
  expect(await inFrame.locator('script, img, a').count()).toBe(0);
  await page.screenshot({ path: 'test-results/screenshots/incident-export-print-preview.png' });

  // The same HTML, printed by Chromium with scripts off, is an A4 PDF holding the notice.
  const printer = await page.context().browser()!.newContext({ javaScriptEnabled: false, offline: true });
  try {
    const printPage = await printer.newPage();
    await printPage.setContent(html);
    const bytes = await printPage.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    writeFileSync('test-results/incident-export-notice.pdf', bytes);
    const pdf = readPdf(bytes);
    expect(pdf).toMatchObject({
      title: 'Notice of a personal data breach: Patient export bucket readable without authentication (Northwind Health)',
      pageSize: expect.stringContaining('(A4)'),
      javaScript: false,
    });
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    const text = pdf.text.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Patient export bucket readable without authentication');
    expect(text).toContain('Tenant Northwind Health');
    expect(text).toContain('To: Northwind Health');
    expect(pdf.text[0]).toContain(`Page 1 of ${pdf.pages}`);
  } finally {
    await printer.close();
  }
  await preview.getByRole('button', { name: 'Close' }).first().click();
  await expect(preview).toHaveCount(0);

  // Incident text that looks like HTML is printed as text: a note, in the review.
  await page.getByLabel('Add a note').fill(NOTE);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('incident-timeline')).toContainText(NOTE);
  await expect(page.getByTestId('pending-sync')).toHaveCount(0, { timeout: 20_000 });
  await page.getByTestId('incident-export').click();
  await page.getByTestId('export-review-pdf').click();
  await expect(page.getByTestId('print-frame')).toHaveAttribute('data-printed', 'true');
  const review = page.frameLocator('[data-testid="print-frame"]');
  await expect(review.locator('.doc-tenant')).toHaveText('All affected tenants');
  await expect(review.locator('main')).toContainText(`Note: ${NOTE}`);
  expect(await review.locator('main img, main script').count()).toBe(0);
  await review.locator('main li', { hasText: 'Attacker payload' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/incident-export-review-escaped.png' });
  expect(await page.title()).not.toBe('1');
  expect(refused).toEqual([]);
});
