import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a printed PDF holds, read with poppler-utils (pdfinfo, pdftotext; scripts/setup.sh installs them). */
export interface PdfFacts {
  title: string;
  pages: number;
  /** pdfinfo's page size line, e.g. "594.96 x 841.92 pts (A4)". */
  pageSize: string;
  /** Whether the PDF carries JavaScript. */
  javaScript: boolean;
  /** The text of each page, in reading order. */
  text: string[];
}

export function readPdf(bytes: Uint8Array): PdfFacts {
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') throw new Error('not a PDF');
  const dir = mkdtempSync(join(tmpdir(), 'attest-pdf-read-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f');
    return { title: field('Title'), pages: Number(field('Pages')), pageSize: field('Page size'), javaScript: field('JavaScript') === 'yes', text: text.slice(0, -1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
