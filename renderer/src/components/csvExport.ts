import type { CsvCell } from '../../../shared/common/csv';
import type { TableExportInput } from '../../../shared/ipc/tables';
import type { DataColumn } from './VirtualGrid';

/** One column of a CSV export: a header and the row's value. */
export interface CsvColumn<T> {
  readonly header: string;
  value(row: T): CsvCell;
}

/** The table's own columns that have an export value, in the table's order. */
export const csvColumnsOf = <T,>(columns: readonly DataColumn<T>[]): CsvColumn<T>[] =>
  columns.flatMap((c) => (c.csv && c.header ? [{ header: c.header, value: (row: T) => c.csv!(row) }] : []));

/** The channel's input for rows as a table shows them. */
export const csvExportInput = <T,>(
  table: TableExportInput['table'],
  scope: string | undefined,
  columns: readonly CsvColumn<T>[],
  rows: readonly T[],
): TableExportInput => ({
  table,
  ...(scope ? { scope } : {}),
  columns: columns.map((c) => c.header),
  rows: rows.map((row) => columns.map((c) => c.value(row))),
});

/** An ISO time or nothing: exports carry machine-readable UTC times. */
export const csvTime = (iso: string | null | undefined): CsvCell => iso ?? null;
