import type { ControlResult, PostureSnapshot } from '../../../../shared/posture/api';
import type { ControlStatus } from '../../../../shared/posture/control';

/** Test data for the posture models: control results shaped like the service's. */
export const control = (id: string, status: ControlStatus, over: Partial<ControlResult> = {}): ControlResult => ({
  id,
  title: id,
  section: 'Authentication',
  status,
  evidence: {},
  mappings: { soc2: [], iso27001: [], gdpr: [] },
  ...over,
});

export const snapshot = (takenAt: string, statuses: ControlStatus[]): PostureSnapshot => ({
  id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d',
  tenantId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9e',
  takenAt,
  catalogueVersion: 1,
  sha256: 'a'.repeat(64),
  auditSeq: 1,
  posture: { tenantId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9e', catalogueVersion: 1, evaluatedAt: takenAt, controls: statuses.map((s, i) => control(`c${i}`, s)) },
});
