import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcChannels } from '../../../shared/ipc/contract';
import { createTableExport, csvFileName } from './table-export';

const at = new Date('2026-12-05T01:02:03Z');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-table-export-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const inDir = async (name: string) => join(dir, name);

describe('tables.exportCsv in the core', () => {
  it('writes the rows as CSV with formulas defused where the person chose, and says where', async () => {
    const exportCsv = createTableExport({ chooseExportPath: inDir, now: () => at });
    const result = await exportCsv({ table: 'users', scope: 'Northwind Health', columns: ['Name', 'Sign-ins'], rows: [['=HYPERLINK("x")', 3], ['Noah Berg', null]] });
    const path = join(dir, 'attest-users-northwind-health-2026-12-05.csv');
    expect(result).toEqual({ saved: true, path, rows: 2 });
    expect(readFileSync(path, 'utf8')).toBe('\uFEFFName,Sign-ins\r\n"\'=HYPERLINK(""x"")",3\r\nNoah Berg,\r\n');
  });

  it('never writes over a file: a second export of the same table that day gets a new name', async () => {
    const exportCsv = createTableExport({ chooseExportPath: inDir, now: () => at });
    writeFileSync(join(dir, 'attest-tenants-2026-12-05.csv'), 'kept');
    const first = await exportCsv({ table: 'tenants', columns: ['Name'], rows: [['Acme']] });
    const second = await exportCsv({ table: 'tenants', columns: ['Name'], rows: [['Acme']] });
    expect(first.path).toBe(join(dir, 'attest-tenants-2026-12-05 (2).csv'));
    expect(second.path).toBe(join(dir, 'attest-tenants-2026-12-05 (3).csv'));
    expect(readFileSync(join(dir, 'attest-tenants-2026-12-05.csv'), 'utf8')).toBe('kept');
  });

  it('writes nothing when the person cancels the save dialog', async () => {
    const exportCsv = createTableExport({ chooseExportPath: async () => null, now: () => at });
    expect(await exportCsv({ table: 'sessions', columns: ['Device'], rows: [['Firefox']] })).toEqual({ saved: false, path: null, rows: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says what to do when the folder cannot be written', async () => {
    // A file stands where the folder should be.
    writeFileSync(join(dir, 'not-a-folder'), '');
    const exportCsv = createTableExport({ chooseExportPath: async (name) => join(dir, 'not-a-folder', name), now: () => at });
    await expect(exportCsv({ table: 'audit', columns: ['Seq'], rows: [[1]] })).rejects.toMatchObject({
      code: 'internal_error',
      message: expect.stringMatching(/could not be written .*Check that the folder exists and is writable/),
    });
  });

  it('names files from the table, a tidy scope and the day: a hostile scope cannot name a path', () => {
    expect(csvFileName({ table: 'incidents', scope: '../../etc/passwd' }, at)).toBe('attest-incidents-etc-passwd-2026-12-05.csv');
    expect(csvFileName({ table: 'api-tokens', scope: 'Zöller Bank' }, at)).toBe('attest-api-tokens-zoller-bank-2026-12-05.csv');
    expect(csvFileName({ table: 'reviews' }, at)).toBe('attest-reviews-2026-12-05.csv');
  });

  it('refuses malformed input at the channel: an unknown table, a ragged row, a control character in a header', () => {
    const schema = ipcChannels['tables.exportCsv'].input;
    expect(schema.safeParse({ table: 'users', columns: ['A'], rows: [['x']] }).success).toBe(true);
    expect(schema.safeParse({ table: 'secrets', columns: ['A'], rows: [] }).success).toBe(false);
    expect(schema.safeParse({ table: 'users', columns: ['A', 'B'], rows: [['x']] }).success).toBe(false);
    expect(schema.safeParse({ table: 'users', columns: ['A\u001b[2J'], rows: [] }).success).toBe(false);
    expect(schema.safeParse({ table: 'users', columns: ['A'], rows: [[{ toString: 'x' }]] }).success).toBe(false);
    expect(schema.safeParse({ table: 'users', columns: ['A'], rows: [], path: '/etc/passwd' }).success).toBe(false);
  });
});
