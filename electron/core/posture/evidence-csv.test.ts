import { describe, expect, it } from 'vitest';
import type { Posture } from '../../../shared/posture/api';
import { evidenceFilename, postureEvidenceCsv } from './evidence-csv';

const posture: Posture = {
  tenantId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d',
  catalogueVersion: 1,
  evaluatedAt: '2026-12-05T01:00:00.000Z',
  controls: [
    {
      id: 'auth.mfa',
      title: 'Multi-factor authentication enforced',
      section: 'Authentication',
      status: 'fail',
      evidence: { enforced: false, enrolledPercent: 40, note: '=HYPERLINK("x")' },
      mappings: { soc2: ['CC6.1', 'CC6.2'], iso27001: ['A.5.17'], gdpr: ['32'] },
      remediation: { targetDate: '2027-01-31', compensatingControls: 'x', updatedAt: '2026-12-01T00:00:00.000Z', status: 'in_progress', ownerAssigned: true, overdue: false },
    },
  ],
};

describe('the evidence CSV', () => {
  it('has one row per control with status, evidence, mappings and the plan’s date; a formula-looking cell is defused', () => {
    const [header, row] = postureEvidenceCsv(posture).trimEnd().split('\r\n');
    expect(header).toMatch(/^evaluatedAt,catalogueVersion,controlId,/);
    expect(row).toBe(
      `2026-12-05T01:00:00.000Z,1,auth.mfa,Multi-factor authentication enforced,Authentication,fail,"enforced=false; enrolledPercent=40; note==HYPERLINK(""x"")",CC6.1 CC6.2,A.5.17,Art. 32,2027-01-31,false`,
    );
  });
  it('names the file by scope and date, never by a person', () => {
    expect(evidenceFilename(posture)).toBe('posture-evidence-tenant-7d0c4c1e-2026-12-05.csv');
    expect(evidenceFilename({ ...posture, tenantId: '00000000-0000-0000-0000-000000000000' })).toBe('posture-evidence-platform-2026-12-05.csv');
  });
});
