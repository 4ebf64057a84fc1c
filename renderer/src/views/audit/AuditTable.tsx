import type { Intent } from '@blueprintjs/core';
import { CellTag } from '../../components/CellTag';
import { useMemo, type Ref } from 'react';
import type { AuditEvent, AuditOutcome } from '../../../../shared/audit/event';
import { VirtualGrid, type DataColumn } from '../../components/VirtualGrid';
import { AuditName } from './AuditName';
import { nameActor, nameTarget, type People, type TenantNames } from './auditNames';
import { DateTime } from '../../components/DateTime';

export const OUTCOME_INTENT: Record<AuditOutcome, Intent> = { success: 'success', failure: 'warning', denied: 'danger' };


const columnsFor = (people: People, tenants: TenantNames): DataColumn<AuditEvent>[] => [
  { id: 'seq', header: 'Seq', width: '72px', glance: true, cell: (e) => <span className="attest-mono">{e.seq}</span> },
  { id: 'at', header: 'Time', width: '244px', glance: true, cell: (e) => <DateTime value={e.at} style="dateTimeSeconds" /> },
  { id: 'actor', header: 'Actor', width: '15%', cell: (e) => <AuditName named={nameActor(e.actor, people)} testId="audit-actor" /> },
  { id: 'action', header: 'Action', width: '19%', cell: (e) => <span className="attest-mono">{e.action}</span> },
  { id: 'target', header: 'Target', width: 'auto', cell: (e) => <AuditName named={nameTarget(e.target, people, tenants, e.tenantId)} testId="audit-target" /> },
  {
    id: 'outcome',
    header: 'Outcome',
    width: '88px',
    cell: (e) => (
      <CellTag intent={OUTCOME_INTENT[e.outcome]}>
        {e.outcome}
      </CellTag>
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
  people: People;
  tenants: TenantNames;
}

const rowAttributes = (event: AuditEvent) => ({ 'data-seq': event.seq });

/** The audit log as a virtualized grid: rows whose page has not arrived show a placeholder until it does. */
export const AuditTable = ({ total, rowAt, selectedIndex, onSelect, onRange, tableRef, people, tenants }: AuditTableProps) => {
  const columns = useMemo(() => columnsFor(people, tenants), [people, tenants]);
  return (
  <VirtualGrid
    label="Audit events"
    testId="audit-table"
    columns={columns}
    count={total}
    rowAt={rowAt}
    rowAttributes={rowAttributes}
    selectedIndex={selectedIndex}
    onSelect={onSelect}
    onRange={onRange}
    {...(tableRef !== undefined ? { tableRef } : {})}
  />
  );
};
