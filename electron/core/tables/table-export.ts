import { open } from 'node:fs/promises';
import { dirname, extname, basename, join } from 'node:path';
import { toCsv } from '../../../shared/common/csv';
import type { TableExportInput, TableExportResult } from '../../../shared/ipc/tables';
import { syncDirectory, writeAll } from '../../../shared/node/durable-file';
import type { ChooseExportPath } from '../audit/audit-console';
import { CoreError, describeCause } from '../core-error';

export interface TableExportOptions {
  chooseExportPath: ChooseExportPath;
  now?: () => Date;
}

/** `attest-users-northwind-health-2026-12-05.csv`: the table, what its rows are of, the day. */
export const csvFileName = (input: Pick<TableExportInput, 'table' | 'scope'>, at: Date): string => {
  const scope = (input.scope ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `attest-${input.table}${scope ? `-${scope}` : ''}-${at.toISOString().slice(0, 10)}.csv`;
};

/** Creates the file new, never over one: `name.csv`, else `name (2).csv`, … and returns where it went. */
const writeNewFile = async (path: string, text: string): Promise<string> => {
  const ext = extname(path);
  const stem = basename(path, ext);
  const bytes = new TextEncoder().encode(text);
  for (let n = 1; n <= 1000; n++) {
    const candidate = n === 1 ? path : join(dirname(path), `${stem} (${n})${ext}`);
    let handle;
    try {
      handle = await open(candidate, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      await writeAll(handle, bytes, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await syncDirectory(dirname(candidate));
    return candidate;
  }
  throw new Error('a thousand files of that name exist already');
};

/** The rows a table showed, as CSV (shared/common/csv.ts: formulas defused), saved where the person chooses. */
export const createTableExport =
  ({ chooseExportPath, now = () => new Date() }: TableExportOptions) =>
  async (input: TableExportInput): Promise<TableExportResult> => {
    const chosen = await chooseExportPath(csvFileName(input, now()));
    if (chosen === null) return { saved: false, path: null, rows: 0 };
    try {
      const path = await writeNewFile(chosen, toCsv(input.columns, input.rows));
      return { saved: true, path, rows: input.rows.length };
    } catch (error) {
      throw new CoreError('internal_error', `The CSV file could not be written (${describeCause(error)}). Check that the folder exists and is writable, then export again.`, {
        cause: error,
      });
    }
  };
