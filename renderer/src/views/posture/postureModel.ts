import type { Intent } from '@blueprintjs/core';
import type { ControlResult } from '../../../../shared/posture/api';
import { TRUST_SECTIONS, type ControlStatus, type Evidence, type TrustSection } from '../../../../shared/posture/control';
import { FRAMEWORKS, type Framework } from '../../../../shared/posture/frameworks';

export const PLATFORM_SCOPE = '00000000-0000-0000-0000-000000000000';

export const STATUS_LABEL: Readonly<Record<ControlStatus, string>> = { pass: 'Pass', warn: 'Warning', fail: 'Fail', not_applicable: 'Not applicable' };
export const STATUS_INTENT: Readonly<Record<ControlStatus, Intent>> = { pass: 'success', warn: 'warning', fail: 'danger', not_applicable: 'none' };

export const FRAMEWORK_LABEL: Readonly<Record<Framework, string>> = { soc2: 'SOC 2', iso27001: 'ISO 27001', gdpr: 'GDPR' };

/** A criterion as it reads to an auditor: GDPR articles as "Art. 32", the others as published. */
export const criterionLabel = (framework: Framework, criterion: string): string => (framework === 'gdpr' ? `Art. ${criterion}` : criterion);

export type StatusCounts = Record<ControlStatus, number>;

export const statusCounts = (controls: readonly Pick<ControlResult, 'status'>[]): StatusCounts => {
  const counts: StatusCounts = { pass: 0, warn: 0, fail: 0, not_applicable: 0 };
  for (const c of controls) counts[c.status] += 1;
  return counts;
};

/** Worst first within a section, so what needs attention is on top. */
const SEVERITY: Readonly<Record<ControlStatus, number>> = { fail: 0, warn: 1, pass: 2, not_applicable: 3 };
export const byAttention = (a: ControlResult, b: ControlResult): number => SEVERITY[a.status] - SEVERITY[b.status] || a.id.localeCompare(b.id);

/** The sections that hold a control, in the trust page's order, each with its controls worst first. */
export const controlsBySection = (controls: readonly ControlResult[]): { section: TrustSection; controls: ControlResult[] }[] =>
  TRUST_SECTIONS.map((section) => ({ section, controls: controls.filter((c) => c.section === section).sort(byAttention) })).filter((s) => s.controls.length > 0);

export interface CriterionRow {
  readonly criterion: string;
  readonly controls: readonly ControlResult[];
  /** The worst status among the covering controls (not_applicable ones do not count), or null if all are not applicable. */
  readonly status: ControlStatus | null;
}

/** Per criterion of a framework, the controls covering it; `uncovered` lists the criteria nothing covers. */
export const frameworkCoverage = (framework: Framework, controls: readonly ControlResult[]): { covered: CriterionRow[]; uncovered: string[] } => {
  const covered: CriterionRow[] = [];
  const uncovered: string[] = [];
  for (const criterion of FRAMEWORKS[framework].criteria) {
    const covering = controls.filter((c) => c.mappings[framework].includes(criterion)).sort(byAttention);
    if (covering.length === 0) {
      uncovered.push(criterion);
      continue;
    }
    const applicable = covering.filter((c) => c.status !== 'not_applicable');
    covered.push({ criterion, controls: covering, status: applicable[0]?.status ?? null });
  }
  return { covered, uncovered };
};

/** "enrolledPercent" → "Enrolled percent"; "missed90" → "Missed 90"; "customer_notice.met365" → "Customer notice met 365". */
export const evidenceLabel = (key: string): string => {
  const words = key
    .replace(/[._]/g, ' ')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([a-zA-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const evidenceValue = (value: Evidence[string]): string => {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return value;
};

/** The evidence figures as label/value rows, in the order the evaluator gave them. */
export const evidenceRows = (evidence: Evidence): { key: string; label: string; value: string }[] =>
  Object.entries(evidence).map(([key, value]) => ({ key, label: evidenceLabel(key), value: evidenceValue(value) }));
