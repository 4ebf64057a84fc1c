import { describe, expect, it } from 'vitest';
import { anyClockClosed, clockBars, trendSeries } from './chartsModel';
import { snapshot } from './postureFixtures';

describe('posture charts model', () => {
  it('orders the trend oldest first and counts pass, warn and fail per snapshot (not applicable left out)', () => {
    const series = trendSeries([snapshot('2026-12-03T00:00:00.000Z', ['pass', 'fail', 'not_applicable']), snapshot('2026-12-01T00:00:00.000Z', ['warn', 'warn', 'pass'])]);
    expect(series).toEqual([
      { takenAt: '2026-12-01T00:00:00.000Z', pass: 1, warn: 2, fail: 0 },
      { takenAt: '2026-12-03T00:00:00.000Z', pass: 1, warn: 0, fail: 1 },
    ]);
    expect(trendSeries([])).toEqual([]);
  });

  it('reads each clock’s met and missed counts for the window, zero where the evidence has none or a bad figure', () => {
    const evidence = { 'classification.met90': 3, 'classification.missed90': 1, 'classification.met365': 7, 'customer_notice.missed365': 2, 'breach_notice.met90': -4, met90: 3 };
    const bars90 = clockBars(evidence, 90);
    expect(bars90.map((b) => b.clock)).toEqual(['classification', 'customer_notice', 'regulator_notice', 'breach_notice', 'post_incident_review']);
    expect(bars90[0]).toEqual({ clock: 'classification', label: 'Classify the incident', met: 3, missed: 1 });
    expect(bars90[3]).toMatchObject({ met: 0, missed: 0 });
    expect(clockBars(evidence, 365)[1]).toMatchObject({ met: 0, missed: 2 });
    expect(anyClockClosed(bars90)).toBe(true);
    expect(anyClockClosed(clockBars({}, 365))).toBe(false);
  });
});
