import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it('writes plain text, numbers, booleans and nothing for null as they are', () => {
    expect(csvCell('Northwind Health')).toBe('Northwind Health');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('Berg, Noah')).toBe('"Berg, Noah"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['=cmd|\' /C calc\'!A0', `'=cmd|' /C calc'!A0`],
  ])('defuses a cell a spreadsheet would run: %j', (input, written) => {
    expect(csvCell(input)).toBe(written);
  });

  it('leaves formula characters alone where they do not start the cell, and numbers (a negative count is a number)', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('user@example.com')).toBe('user@example.com');
    expect(csvCell(-1)).toBe('-1');
  });
});

describe('toCsv', () => {
  it('writes a header and rows with CRLF line ends after a UTF-8 byte order mark', () => {
    expect(toCsv(['Name', 'Members'], [['Zöller Bank', 3], ['=evil()', null]])).toBe('\uFEFFName,Members\r\nZöller Bank,3\r\n\'=evil(),\r\n');
  });

  it('writes only the header for no rows', () => {
    expect(toCsv(['A'], [])).toBe('\uFEFFA\r\n');
  });
});
