import type { Posture } from '../../../shared/posture/api';
import { csvCell } from '../audit/audit-export';

export const EVIDENCE_CSV_COLUMNS = [
  'evaluatedAt',
  'catalogueVersion',
  'controlId',
  'title',
  'section',
  'status',
  'evidence',
  'soc2',
  'iso27001',
  'gdpr',
  'remediationTargetDate',
  'remediationOverdue',
] as const;

const evidenceText = (evidence: Posture['controls'][number]['evidence']): string =>
  Object.entries(evidence)
    .map(([key, value]) => `${key}=${value === null ? '' : String(value)}`)
    .join('; ');

/** The auditors' CSV: one row per control with its status, evidence figures and framework mappings. */
export const postureEvidenceCsv = (posture: Posture): string =>
  [
    EVIDENCE_CSV_COLUMNS.join(','),
    ...posture.controls.map((c) =>
      [
        posture.evaluatedAt,
        posture.catalogueVersion,
        c.id,
        c.title,
        c.section,
        c.status,
        evidenceText(c.evidence),
        c.mappings.soc2.join(' '),
        c.mappings.iso27001.join(' '),
        c.mappings.gdpr.map((a) => `Art. ${a}`).join(' '),
        c.remediation?.targetDate ?? null,
        c.remediation ? String(c.remediation.overdue) : null,
      ]
        .map(csvCell)
        .join(','),
    ),
  ].join('\r\n') + '\r\n';

/** A file name that names the scope by what it is, not by a person: posture-evidence-<scope>-<date>.csv. */
export const evidenceFilename = (posture: Posture): string => {
  const scope = /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(posture.tenantId) ? 'platform' : `tenant-${posture.tenantId.slice(0, 8)}`;
  return `posture-evidence-${scope}-${posture.evaluatedAt.slice(0, 10)}.csv`;
};
