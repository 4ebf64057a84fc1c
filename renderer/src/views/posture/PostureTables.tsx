import { Classes, Tag } from '@blueprintjs/core';
import type { ControlResult } from '../../../../shared/posture/api';
import type { Framework } from '../../../../shared/posture/frameworks';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { controlsBySection, criterionLabel, frameworkCoverage, STATUS_INTENT, STATUS_LABEL, type CriterionRow } from './postureModel';

const StatusTag = ({ status }: { status: ControlResult['status'] }) => (
  <Tag minimal intent={STATUS_INTENT[status]} data-status={status}>
    {STATUS_LABEL[status]}
  </Tag>
);

/** The figures a row shows: the first few evidence values, the detail has them all. */
const evidenceSummary = (c: ControlResult): string =>
  Object.entries(c.evidence)
    .filter(([key]) => !key.includes('.'))
    .slice(0, 4)
    .map(([key, value]) => `${key} ${value === null ? '—' : String(value)}`)
    .join(' · ');

const CONTROL_COLUMNS: DataColumn<ControlResult>[] = [
  { id: 'section', header: 'Section', width: '140px', cell: (c) => <span className={Classes.TEXT_MUTED} title={c.section}>{c.section}</span> },
  { id: 'status', header: 'Status', width: '112px', cell: (c) => <StatusTag status={c.status} /> },
  { id: 'title', header: 'Control', width: 'auto', cell: (c) => <span className="attest-cell-strong" title={c.id}>{c.title}</span> },
  { id: 'evidence', header: 'Evidence', width: '24%', cell: (c) => <span title={evidenceSummary(c)}>{evidenceSummary(c)}</span> },
  { id: 'plan', header: 'Plan', width: '88px', cell: (c) => (c.remediation ? <Tag minimal intent={c.remediation.overdue ? 'danger' : 'primary'}>{c.remediation.overdue ? 'Overdue' : 'Planned'}</Tag> : null) },
];

/** Per section, in the trust page's order, worst first within each. */
export const ControlsBySection = ({ controls, selectedId, onSelect }: { controls: readonly ControlResult[]; selectedId: string | null; onSelect(id: string | null): void }) => (
  <DataTable
    label="Controls by section"
    rows={controlsBySection(controls).flatMap((s) => s.controls)}
    columns={CONTROL_COLUMNS}
    rowKey={(c) => c.id}
    selectedKey={selectedId}
    onSelect={onSelect}
    testId="posture-controls"
  />
);

/** Per criterion of a framework: its status (the worst of the controls covering it) and those controls; then what nothing covers. */
export const FrameworkView = ({ framework, controls, selectedId, onSelect }: { framework: Framework; controls: readonly ControlResult[]; selectedId: string | null; onSelect(id: string | null): void }) => {
  const { covered, uncovered } = frameworkCoverage(framework, controls);
  const columns: DataColumn<CriterionRow>[] = [
    { id: 'criterion', header: 'Criterion', width: '110px', cell: (r) => <span className="attest-mono">{criterionLabel(framework, r.criterion)}</span> },
    { id: 'status', header: 'Status', width: '120px', cell: (r) => (r.status ? <StatusTag status={r.status} /> : <Tag minimal>Not applicable</Tag>) },
    { id: 'controls', header: 'Covered by', width: 'auto', cell: (r) => r.controls.map((c) => c.title).join(' · ') },
  ];
  // Selecting a criterion opens the worst control covering it.
  const firstOf = new Map(covered.map((r) => [r.criterion, r.controls[0]?.id ?? null]));
  const selectedCriterion = covered.find((r) => r.controls[0]?.id === selectedId)?.criterion ?? null;
  return (
    <>
      <DataTable
        label={`Criteria of ${framework}`}
        rows={covered}
        columns={columns}
        rowKey={(r) => r.criterion}
        selectedKey={selectedCriterion}
        onSelect={(key) => onSelect(key === null ? null : (firstOf.get(key) ?? null))}
        testId={`posture-framework-${framework}`}
      />
      <div className="attest-posture-uncovered" data-testid="posture-uncovered">
        <div className={Classes.TEXT_MUTED}>
          {uncovered.length} criteria no control covers{uncovered.length > 0 ? ':' : ''}
        </div>
        <div className="attest-posture-tags">
          {uncovered.map((c) => (
            <Tag key={c} minimal>
              {criterionLabel(framework, c)}
            </Tag>
          ))}
        </div>
      </div>
    </>
  );
};
