// Renders build/icon.svg to the PNG sizes electron-builder expects (Linux icon set;
// macOS .icns and Windows .ico are derived from the 512 px PNG at packaging time).
// Run by hand after changing the SVG: `npx tsx build/render-icons.ts`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const sizes = [16, 32, 48, 64, 128, 256, 512];
const svg = readFileSync(join(import.meta.dirname, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const size of sizes) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`,
    );
    await page.screenshot({ path: join(import.meta.dirname, 'icons', `${size}x${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`rendered ${sizes.length} icons`);
