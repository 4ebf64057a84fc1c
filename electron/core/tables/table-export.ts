import { toCsv } from '../../../shared/common/csv';
import type { TableExportInput, TableExportResult } from '../../../shared/ipc/tables';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import type { ChooseExportPath } from '../audit/audit-console';
import { CoreError, describeCause } from '../core-error';
import { claimFreePath } from '../documents/free-path';

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

/** The rows a table showed, as CSV (shared/common/csv.ts: formulas defused), saved where the person chooses. */
export const createTableExport =
  ({ chooseExportPath, now = () => new Date() }: TableExportOptions) =>
  async (input: TableExportInput): Promise<TableExportResult> => {
    const chosen = await chooseExportPath(csvFileName(input, now()));
    if (chosen === null) return { saved: false, path: null, rows: 0 };
    try {
      // Never over a file: `name.csv`, else `name (2).csv`, …
      const path = await claimFreePath(chosen);
      await replaceFileDurably(path, toCsv(input.columns, input.rows));
      return { saved: true, path, rows: input.rows.length };
    } catch (error) {
      throw new CoreError('internal_error', `The CSV file could not be written (${describeCause(error)}). Check that the folder exists and is writable, then export again.`, {
        cause: error,
      });
    }
  };
