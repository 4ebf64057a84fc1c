import { Button, HTMLTable } from '@blueprintjs/core';
import { CaretDownIcon, CaretUpIcon, DoubleCaretVerticalIcon } from '@blueprintjs/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import { isSelectionKey, moveSelection } from './selection';
import { ariaSort, type SortState } from './sorting';

export interface DataColumn<T> {
  id: string;
  header: string;
  /** CSS width of the column; the table lays out fixed so virtualized rows keep their widths. */
  width: string;
  cell(row: T): ReactNode;
  sortable?: boolean;
}

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
}

const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;

const SortIcon = ({ state }: { state: 'ascending' | 'descending' | 'none' }) =>
  state === 'ascending' ? (
    <CaretUpIcon />
  ) : state === 'descending' ? (
    <CaretDownIcon />
  ) : (
    <DoubleCaretVerticalIcon className="attest-sort-idle" />
  );

/**
 * A dense, virtualized, keyboard-driven table: a real <table> with the grid role
 * (so rows are named by their text), sortable headers that are buttons, and one
 * selected row moved with the arrow, Home/End and Page keys while the table has
 * focus. Only the rows in view are rendered; spacer rows keep the scroll height.
 */
export const DataTable = <T,>({
  label,
  rows,
  columns,
  rowKey,
  sort = null,
  onSort,
  selectedKey,
  onSelect,
  empty,
  testId,
  tableRef,
}: DataTableProps<T>) => {
  const idPrefix = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan: 12,
  });

  const keys = rows.map(rowKey);
  const selectedIndex = selectedKey === null ? -1 : keys.indexOf(selectedKey);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const rowId = (key: string) => `${idPrefix}-row-${key}`;
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start - HEADER_HEIGHT : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const selectedRendered = items.some((item) => item.index === selectedIndex);

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Escape' && selectedKey !== null) {
      event.preventDefault();
      onSelect(null);
      return;
    }
    if (!isSelectionKey(event.key)) return;
    event.preventDefault();
    const viewport = scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10;
    const pageSize = Math.max(1, Math.floor((viewport - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    onSelect(moveSelection(keys, selectedKey, event.key, pageSize));
  };

  return (
    <div className="attest-table-scroll" ref={scrollRef} data-testid={testId}>
      <HTMLTable
        compact
        interactive
        ref={tableRef}
        className="attest-table"
        role="grid"
        aria-label={label}
        aria-rowcount={rows.length + 1}
        aria-activedescendant={selectedKey !== null && selectedRendered ? rowId(selectedKey) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((column) => {
              const state = ariaSort(sort, column.id);
              return (
                <th key={column.id} scope="col" aria-sort={column.sortable ? state : undefined}>
                  {column.sortable && onSort ? (
                    <Button
                      variant="minimal"
                      size="small"
                      fill
                      alignText="start"
                      className="attest-sort-button"
                      endIcon={<SortIcon state={state} />}
                      text={column.header}
                      onClick={() => onSort(column.id)}
                    />
                  ) : (
                    <span className="attest-header-text">{column.header}</span>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" className="attest-spacer">
              <td colSpan={columns.length} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            const key = keys[item.index];
            if (row === undefined || key === undefined) return null;
            const selected = key === selectedKey;
            return (
              <tr
                key={key}
                id={rowId(key)}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                className={selected ? 'attest-row attest-row-selected' : 'attest-row'}
                data-key={key}
                onClick={() => onSelect(key)}
              >
                {columns.map((column) => (
                  <td key={column.id}>{column.cell(row)}</td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="attest-spacer">
              <td colSpan={columns.length} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </HTMLTable>
      {rows.length === 0 && empty}
    </div>
  );
};
