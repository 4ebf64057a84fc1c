/**
 * CSV (RFC 4180) for exports of the console's tables, safe to open in a spreadsheet:
 * a cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
 * carriage return) is prefixed with an apostrophe, as OWASP's CSV-injection advice says,
 * so that hostile content (a display name, a target, an incident title) stays text.
 */

export type CsvCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: numbers and booleans as written, null as empty, text defused and quoted where needed. */
export const csvCell = (value: CsvCell): string => {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
};

/** A header row and the rows, CRLF-terminated, with a UTF-8 byte order mark so spreadsheets read accents right. */
export const toCsv = (header: readonly string[], rows: readonly (readonly CsvCell[])[]): string => {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
};
