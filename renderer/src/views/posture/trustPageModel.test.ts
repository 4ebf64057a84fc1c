import { describe, expect, it } from 'vitest';
import type { PostureSnapshot } from '../../../../shared/posture/api';
import { control, snapshot } from './postureFixtures';
import { defaultDiffPair, diffOfSnapshots, publicUrl } from './trustPageModel';

const withMfa = (id: string, takenAt: string, status: 'pass' | 'fail', enrolledPercent: number): PostureSnapshot => {
  const s = snapshot(takenAt, []);
  const mfa = control('auth.mfa', status, {
    title: 'Multi-factor authentication enforced',
    evidence: { enforced: status === 'pass', enrolledPercent },
    mappings: { soc2: ['CC6.1'], iso27001: [], gdpr: [] },
  });
  return { ...s, id, posture: { ...s.posture, evaluatedAt: takenAt, controls: [mfa] } };
};

const A = withMfa('7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e01', '2026-12-01T00:00:00.000Z', 'fail', 50);
const B = withMfa('7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e02', '2026-12-02T00:00:00.000Z', 'pass', 100);
const C = withMfa('7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e03', '2026-12-03T00:00:00.000Z', 'pass', 100);

describe('trust page model', () => {
  it('starts a diff with the two newest snapshots, and has none with fewer than two', () => {
    expect(defaultDiffPair([A, C, B])).toEqual({ before: B.id, after: C.id });
    expect(defaultDiffPair([A])).toBeNull();
  });

  it('diffs the earlier against the later whatever the pick order, sentence by sentence', () => {
    const diff = diffOfSnapshots([A, B, C], B.id, A.id)!;
    expect(diff.before.snapshotId).toBe(A.id);
    expect(diff.after.snapshotId).toBe(B.id);
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ controlId: 'auth.mfa', statusBefore: 'fail', statusAfter: 'pass' });
    expect(diff.changes[0]!.after.join(' ')).toContain('100%');
  });

  it('finds nothing changed between equal postures, and no diff for one snapshot or an unknown id', () => {
    expect(diffOfSnapshots([B, C], B.id, C.id)!.changes).toEqual([]);
    expect(diffOfSnapshots([A, B], A.id, A.id)).toBeNull();
    expect(diffOfSnapshots([A, B], A.id, 'gone')).toBeNull();
  });

  it('builds the public address on the connected service', () => {
    expect(publicUrl('https://127.0.0.1:8443', '/trust/globex-retail')).toBe('https://127.0.0.1:8443/trust/globex-retail');
  });
});
