import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../../../shared/posture/frameworks';
import { control } from './postureFixtures';
import { controlsBySection, criterionLabel, evidenceLabel, evidenceRows, frameworkCoverage, statusCounts } from './postureModel';

describe('posture model', () => {
  it('counts statuses', () => {
    expect(statusCounts([control('a', 'pass'), control('b', 'fail'), control('c', 'fail'), control('d', 'not_applicable')])).toEqual({ pass: 1, warn: 0, fail: 2, not_applicable: 1 });
  });

  it('groups by section in the trust page’s order, worst first, and leaves out empty sections', () => {
    const groups = controlsBySection([
      control('s.ok', 'pass', { section: 'Sessions' }),
      control('a.ok', 'pass'),
      control('a.bad', 'fail'),
      control('s.meh', 'warn', { section: 'Sessions' }),
    ]);
    expect(groups.map((g) => [g.section, g.controls.map((c) => c.id)])).toEqual([
      ['Authentication', ['a.bad', 'a.ok']],
      ['Sessions', ['s.meh', 's.ok']],
    ]);
  });

  it('lists each criterion with the controls covering it (worst status first) and every criterion nothing covers', () => {
    const controls = [
      control('mfa', 'fail', { mappings: { soc2: ['CC6.1', 'CC6.2'], iso27001: [], gdpr: ['32'] } }),
      control('hash', 'pass', { mappings: { soc2: ['CC6.1'], iso27001: [], gdpr: ['32'] } }),
      control('tls', 'not_applicable', { mappings: { soc2: ['CC6.7'], iso27001: [], gdpr: [] } }),
    ];
    const soc2 = frameworkCoverage('soc2', controls);
    expect(soc2.covered.map((r) => [r.criterion, r.controls.map((c) => c.id), r.status])).toEqual([
      ['CC6.1', ['mfa', 'hash'], 'fail'],
      ['CC6.2', ['mfa'], 'fail'],
      ['CC6.7', ['tls'], null],
    ]);
    expect(soc2.uncovered).toHaveLength(FRAMEWORKS.soc2.criteria.length - 3);
    expect(soc2.uncovered).toContain('CC7.2');
    expect(soc2.uncovered).not.toContain('CC6.1');
    expect(frameworkCoverage('iso27001', controls).covered).toEqual([]);
  });

  it('labels criteria and evidence for people', () => {
    expect(criterionLabel('gdpr', '5(1)(e)')).toBe('Art. 5(1)(e)');
    expect(criterionLabel('soc2', 'CC6.1')).toBe('CC6.1');
    expect(evidenceLabel('enrolledPercent')).toBe('Enrolled percent');
    expect(evidenceLabel('missed90')).toBe('Missed 90');
    expect(evidenceLabel('customer_notice.met365')).toBe('Customer notice met 365');
    expect(evidenceRows({ enforced: false, members: 12500, share: 33.333, minVersion: 'TLSv1.2', lastAt: null })).toEqual([
      { key: 'enforced', label: 'Enforced', value: 'No' },
      { key: 'members', label: 'Members', value: '12,500' },
      { key: 'share', label: 'Share', value: '33.3' },
      { key: 'minVersion', label: 'Min version', value: 'TLSv1.2' },
      { key: 'lastAt', label: 'Last at', value: '—' },
    ]);
  });
});
