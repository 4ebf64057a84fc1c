import { Classes, HTMLTable, Tag, type Intent } from '@blueprintjs/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, type KeyboardEvent, type Ref } from 'react';
import type { AuditEvent, AuditOutcome } from '../../../../shared/audit/event';

const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;

export const OUTCOME_INTENT: Record<AuditOutcome, Intent> = { success: 'success', failure: 'warning', denied: 'danger' };

export const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Sortable, compact local time for the dense table (2026-02-11 15:45:00). */
const rowTimeFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'medium' });

const COLUMNS: { id: string; header: string; width: string; cell(e: AuditEvent): React.ReactNode }[] = [
  { id: 'seq', header: 'Seq', width: '72px', cell: (e) => <span className="attest-mono">{e.seq}</span> },
  { id: 'at', header: 'Time (local)', width: '170px', cell: (e) => <time dateTime={e.at}>{rowTimeFormat.format(new Date(e.at))}</time> },
  { id: 'actor', header: 'Actor', width: '13%', cell: (e) => `${e.actor.type}:${e.actor.id}` },
  { id: 'action', header: 'Action', width: '19%', cell: (e) => <span className="attest-mono">{e.action}</span> },
  { id: 'target', header: 'Target', width: 'auto', cell: (e) => e.target },
  {
    id: 'outcome',
    header: 'Outcome',
    width: '88px',
    cell: (e) => (
      <Tag minimal intent={OUTCOME_INTENT[e.outcome]}>
        {e.outcome}
      </Tag>
    ),
  },
];

interface AuditTableProps {
  total: number;
  rowAt(index: number): AuditEvent | undefined;
  selectedIndex: number | null;
  onSelect(index: number | null): void;
  /** The rows in view changed: load what they need. */
  onRange(start: number, end: number): void;
  tableRef?: Ref<HTMLTableElement>;
}

/**
 * The audit log as a virtualized grid: only the rows in view exist, and rows whose
 * page has not arrived show a placeholder, so 100,000+ events scroll like 100.
 */
export const AuditTable = ({ total, rowAt, selectedIndex, onSelect, onRange, tableRef }: AuditTableProps) => {
  const idPrefix = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const firstIndex = first?.index ?? 0;
  const lastIndex = last?.index ?? -1;

  useEffect(() => {
    if (lastIndex >= 0) onRange(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, onRange]);

  useEffect(() => {
    if (selectedIndex !== null) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const padTop = first ? first.start - HEADER_HEIGHT : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const rowId = (index: number) => `${idPrefix}-row-${index}`;

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.target !== event.currentTarget || total === 0) return;
    const viewport = scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10;
    const page = Math.max(1, Math.floor((viewport - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const at = selectedIndex ?? -1;
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      End: total - 1,
    };
    if (event.key === 'Escape' && selectedIndex !== null) {
      event.preventDefault();
      onSelect(null);
    } else if (event.key in moves) {
      event.preventDefault();
      onSelect(Math.max(0, Math.min(total - 1, moves[event.key]!)));
    }
  };

  const selectedRendered = items.some((item) => item.index === selectedIndex);
  return (
    <div className="attest-table-scroll" ref={scrollRef} data-testid="audit-table">
      <HTMLTable
        compact
        interactive
        ref={tableRef}
        className="attest-table"
        role="grid"
        aria-label="Audit events"
        aria-rowcount={total + 1}
        aria-activedescendant={selectedIndex !== null && selectedRendered ? rowId(selectedIndex) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column.id} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((column) => (
              <th key={column.id} scope="col">
                <span className="attest-header-text">{column.header}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" className="attest-spacer">
              <td colSpan={COLUMNS.length} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const event = rowAt(item.index);
            const selected = item.index === selectedIndex;
            return (
              <tr
                key={item.index}
                id={rowId(item.index)}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                aria-busy={event ? undefined : true}
                className={selected ? 'attest-row attest-row-selected' : 'attest-row'}
                data-seq={event?.seq}
                onClick={() => onSelect(item.index)}
              >
                {event ? (
                  COLUMNS.map((column) => <td key={column.id}>{column.cell(event)}</td>)
                ) : (
                  <td colSpan={COLUMNS.length}>
                    <span className={`${Classes.SKELETON} attest-skeleton-row`}>Loading…</span>
                  </td>
                )}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="attest-spacer">
              <td colSpan={COLUMNS.length} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </HTMLTable>
    </div>
  );
};
