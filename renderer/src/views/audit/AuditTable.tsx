import { Tag, type Intent } from '@blueprintjs/core';
import type { Ref } from 'react';
import type { AuditEvent, AuditOutcome } from '../../../../shared/audit/event';
import { VirtualGrid, type DataColumn } from '../../components/VirtualGrid';
import { PersonLink } from '../../components/PersonLink';

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

const COLUMNS: DataColumn<AuditEvent>[] = [
  { id: 'seq', header: 'Seq', width: '72px', cell: (e) => <span className="attest-mono">{e.seq}</span> },
  { id: 'at', header: 'Time (local)', width: '170px', cell: (e) => <time dateTime={e.at}>{rowTimeFormat.format(new Date(e.at))}</time> },
  { id: 'actor', header: 'Actor', width: '13%', cell: (e) => (e.actor.type === 'user' ? <PersonLink userId={e.actor.id} name={`${e.actor.type}:${e.actor.id}`} /> : `${e.actor.type}:${e.actor.id}`) },
  { id: 'action', header: 'Action', width: '19%', cell: (e) => <span className="attest-mono">{e.action}</span> },
  { id: 'target', header: 'Target', width: 'auto', cell: (e) => (e.target.startsWith('user:') ? <PersonLink userId={e.target.slice(5)} name={e.target} /> : e.target) },
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

const rowAttributes = (event: AuditEvent) => ({ 'data-seq': event.seq });

/** The audit log as a virtualized grid: rows whose page has not arrived show a placeholder until it does. */
export const AuditTable = ({ total, rowAt, selectedIndex, onSelect, onRange, tableRef }: AuditTableProps) => (
  <VirtualGrid
    label="Audit events"
    testId="audit-table"
    columns={COLUMNS}
    count={total}
    rowAt={rowAt}
    rowAttributes={rowAttributes}
    selectedIndex={selectedIndex}
    onSelect={onSelect}
    onRange={onRange}
    overscan={20}
    {...(tableRef !== undefined ? { tableRef } : {})}
  />
);
