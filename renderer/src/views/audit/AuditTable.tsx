import { Tag, type Intent } from '@blueprintjs/core';
import type { Ref } from 'react';
import type { AuditEvent, AuditOutcome } from '../../../../shared/audit/event';
import { VirtualGrid, type DataColumn } from '../../components/VirtualGrid';
import { DateTime } from '../../components/DateTime';

export const OUTCOME_INTENT: Record<AuditOutcome, Intent> = { success: 'success', failure: 'warning', denied: 'danger' };


const COLUMNS: DataColumn<AuditEvent>[] = [
  { id: 'seq', header: 'Seq', width: '72px', cell: (e) => <span className="attest-mono">{e.seq}</span> },
  { id: 'at', header: 'Time', width: '190px', cell: (e) => <DateTime value={e.at} style="dateTimeSeconds" /> },
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
