import { Button, Classes, HTMLTable } from '@blueprintjs/core';
import { CaretDownIcon, CaretUpIcon, DoubleCaretVerticalIcon } from '@blueprintjs/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import { createRangeSettler } from './rangeSettler';
import { createRestTimer } from './restTimer';
import { useRowKeys } from './rowKeys';
import type { CsvCell } from '../../../shared/common/csv';
import { isSelectionKey, moveIndex } from './selection';
import { ariaSort, type SortState } from './sorting';

export interface DataColumn<T> {
  id: string;
  header: string;
  /** CSS width of the column; the table lays out fixed so virtualized rows keep their widths. */
  width: string;
  cell(row: T): ReactNode;
  sortable?: boolean;
  /**
   * Shown while the rows are refilled in place (a scrollbar drag, a fling: more new rows each frame
   * than anyone can read): the cells that let a person see where they are. The others are left
   * empty until the view rests (RANGE_REST_MS), then the rows fill in full. A table with no such
   * column shows every cell throughout.
   */
  glance?: boolean;
  /** The cell's value in a CSV export (ExportCsvButton); columns without one (actions) are left out. */
  csv?(row: T): CsvCell;
}

export interface VirtualGridProps<T> {
  label: string;
  columns: readonly DataColumn<T>[];
  count: number;
  /** The row at an index, or undefined while it is still loading (a placeholder row is shown). */
  rowAt(index: number): T | undefined;
  /** Extra attributes of a loaded row's <tr> (a test id, a data-key for tests and links). */
  rowAttributes?(row: T, index: number): Record<`data-${string}`, string | number>;
  selectedIndex: number | null;
  onSelect(index: number | null): void;
  /** The rows in view changed: the moment to load what they need. */
  onRange?(start: number, end: number): void;
  sort?: SortState | null;
  onSort?(columnId: string): void;
  /** Shown instead of rows when there are none. */
  empty?: ReactNode;
  testId?: string;
  /** The focusable table element, for moving focus into the rows from elsewhere (a filter box). */
  tableRef?: Ref<HTMLTableElement>;
  overscan?: number;
}

const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;
/** How long a view that jumped (a scrollbar drag) rests before its rows are loaded. */
const RANGE_REST_MS = 120;

const SortIcon = ({ state }: { state: 'ascending' | 'descending' | 'none' }) =>
  state === 'ascending' ? (
    <CaretUpIcon />
  ) : state === 'descending' ? (
    <CaretDownIcon />
  ) : (
    <DoubleCaretVerticalIcon className="attest-sort-idle" />
  );

interface GridRowProps<T> {
  index: number;
  id: string;
  /** Undefined while the row is still loading: a placeholder. */
  row: T | undefined;
  selected: boolean;
  columns: readonly DataColumn<T>[];
  /** The rows are being refilled in place: only the glance columns' cells are filled. */
  glance: boolean;
  rowAttributes: VirtualGridProps<T>['rowAttributes'];
  onSelect(index: number): void;
}

const GridRowOf = <T,>({ index, id, row, selected, columns, glance, rowAttributes, onSelect }: GridRowProps<T>) => (
  <tr
    id={id}
    aria-rowindex={index + 2}
    aria-selected={selected}
    aria-busy={row === undefined ? true : undefined}
    className={selected ? 'attest-row attest-row-selected' : 'attest-row'}
    {...(row !== undefined ? rowAttributes?.(row, index) : {})}
    onClick={() => onSelect(index)}
  >
    {row !== undefined ? (
      columns.map((column) => <td key={column.id}>{!glance || column.glance ? column.cell(row) : null}</td>)
    ) : (
      <td colSpan={columns.length}>
        <span className={`${Classes.SKELETON} attest-skeleton-row`}>Loading…</span>
      </td>
    )}
  </tr>
);

/** One row; it renders again only when its item, selection or columns change. */
const GridRow = memo(GridRowOf) as typeof GridRowOf;

/**
 * A dense, virtualized, keyboard-driven grid: a real <table> with the grid role
 * (so rows are named by their text), sortable headers that are buttons, and one
 * selected row moved with the arrow, Home/End and Page keys while the table has
 * focus. Only the rows in view are rendered; spacer rows keep the scroll height,
 * so 100,000+ rows (loaded page by page through `rowAt`/`onRange`) scroll like 100.
 */
export const VirtualGrid = <T,>({
  label,
  columns,
  count,
  rowAt,
  rowAttributes,
  selectedIndex,
  onSelect,
  onRange,
  sort = null,
  onSort,
  empty,
  testId,
  tableRef,
  // One row past each edge: rows render on the scroll event itself (no blank edge to hide), and
  // every row past the view is work on every frame of a drag (3 each side cost Sessions a fifth of its rows).
  overscan = 1,
}: VirtualGridProps<T>) => {
  const idPrefix = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const firstIndex = first?.index ?? 0;
  const lastIndex = last?.index ?? -1;
  const rows = useRowKeys(firstIndex, lastIndex, () => {
    const focused = document.activeElement;
    return focused !== null && focused.closest('tbody') !== null && scrollRef.current?.contains(focused) === true;
  });
  // Rows refilled in place show only the glance cells: a drag brings up to 28 new rows every frame,
  // and full rows cost more than a frame's budget to lay out and paint while nobody can read them.
  const glance = rows.refilled && columns.some((column) => column.glance);
  const [, setRested] = useState(0);
  // Rested: render again, and the same range (no longer a move) fills its rows in full.
  const [rest] = useState(() => createRestTimer(() => setRested((n) => n + 1), RANGE_REST_MS));
  useLayoutEffect(() => {
    if (glance) rest.poke();
  });
  useEffect(() => () => rest.cancel(), [rest]);

  const onRangeRef = useRef(onRange);
  const onSelectRef = useRef(onSelect);
  useLayoutEffect(() => {
    onRangeRef.current = onRange;
    onSelectRef.current = onSelect;
  });
  const [settler] = useState(() => createRangeSettler((start, end) => onRangeRef.current?.(start, end), RANGE_REST_MS));
  useEffect(() => () => settler.cancel(), [settler]);
  useEffect(() => {
    if (lastIndex >= 0) settler.report(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, onRange, settler]);

  useEffect(() => {
    if (selectedIndex !== null && selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const rowId = (index: number) => `${idPrefix}-row-${index}`;
  // Rows are memoized: a stable click handler keeps the rows that stay in view from rendering again as the grid scrolls.
  const selectIndex = useCallback((index: number) => onSelectRef.current(index), []);
  const padTop = first ? first.start - HEADER_HEIGHT : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const selectedRendered = items.some((item) => item.index === selectedIndex);

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Escape' && selectedIndex !== null) {
      event.preventDefault();
      onSelect(null);
      return;
    }
    if (!isSelectionKey(event.key)) return;
    event.preventDefault();
    const viewport = scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10;
    const pageSize = Math.max(1, Math.floor((viewport - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    onSelect(moveIndex(count, selectedIndex, event.key, pageSize));
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
        aria-rowcount={count + 1}
        aria-activedescendant={selectedIndex !== null && selectedRendered ? rowId(selectedIndex) : undefined}
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
          {items.map((item) => (
            <GridRow
              key={rows.key(item.index)}
              index={item.index}
              id={rowId(item.index)}
              row={rowAt(item.index)}
              selected={item.index === selectedIndex}
              columns={columns}
              glance={glance}
              rowAttributes={rowAttributes}
              onSelect={selectIndex}
            />
          ))}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="attest-spacer">
              <td colSpan={columns.length} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </HTMLTable>
      {count === 0 && empty}
    </div>
  );
};
