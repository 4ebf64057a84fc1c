import { useCallback, type ReactNode, type Ref } from 'react';
import type { SortState } from './sorting';
import { VirtualGrid, type DataColumn } from './VirtualGrid';

export type { DataColumn } from './VirtualGrid';

interface DataTableProps<T> {
  label: string;
  rows: readonly T[];
  columns: readonly DataColumn<T>[];
  rowKey(row: T): string;
  sort?: SortState | null;
  onSort?(columnId: string): void;
  selectedKey: string | null;
  onSelect(key: string | null): void;
  /** Shown instead of rows when there are none. */
  empty?: ReactNode;
  testId?: string;
  /** The focusable table element, for moving focus into the rows from elsewhere (a filter box). */
  tableRef?: Ref<HTMLTableElement>;
  /** The rows in view (first and last index), e.g. to load the next page near the end. */
  onRange?(start: number, end: number): void;
}

/** A VirtualGrid over rows held in memory, selected by key (a row keeps its selection when sorting moves it). */
export const DataTable = <T,>({ label, rows, columns, rowKey, sort = null, onSort, selectedKey, onSelect, empty, testId, tableRef, onRange }: DataTableProps<T>) => {
  const keys = rows.map(rowKey);
  const selectedIndex = selectedKey === null ? -1 : keys.indexOf(selectedKey);
  const rowAttributes = useCallback((row: T) => ({ 'data-key': rowKey(row) }), [rowKey]);
  return (
    <VirtualGrid
      label={label}
      columns={columns}
      count={rows.length}
      rowAt={(index) => rows[index]}
      rowAttributes={rowAttributes}
      selectedIndex={selectedIndex < 0 ? null : selectedIndex}
      onSelect={(index) => onSelect(index === null ? null : (keys[index] ?? null))}
      sort={sort}
      {...(onSort ? { onSort } : {})}
      {...(empty !== undefined ? { empty } : {})}
      {...(testId !== undefined ? { testId } : {})}
      {...(tableRef !== undefined ? { tableRef } : {})}
      {...(onRange !== undefined ? { onRange } : {})}
    />
  );
};
