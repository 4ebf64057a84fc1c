import { DEADLINE_IDS, INCIDENT_DEADLINE_POLICY, type DeadlineId } from '../../../../shared/incidents/deadline-policy';
import type { PostureSnapshot } from '../../../../shared/posture/api';
import type { Evidence } from '../../../../shared/posture/control';
import { statusCounts } from './postureModel';

export interface TrendPoint {
  readonly takenAt: string;
  readonly pass: number;
  readonly warn: number;
  readonly fail: number;
}

/** Pass/warn/fail counts per snapshot, oldest first (the service lists newest first). */
export const trendSeries = (snapshots: readonly PostureSnapshot[]): TrendPoint[] =>
  [...snapshots]
    .sort((a, b) => a.takenAt.localeCompare(b.takenAt))
    .map((s) => {
      const { pass, warn, fail } = statusCounts(s.posture.controls);
      return { takenAt: s.takenAt, pass, warn, fail };
    });

export type ClockWindow = 90 | 365;

export interface ClockBar {
  readonly clock: DeadlineId;
  readonly label: string;
  readonly met: number;
  readonly missed: number;
}

const LABEL: Readonly<Record<DeadlineId, string>> = Object.fromEntries(INCIDENT_DEADLINE_POLICY.map((r) => [r.id, r.label])) as Record<DeadlineId, string>;

const figure = (evidence: Evidence, key: string): number => {
  const v = evidence[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
};

/** Each deadline clock's met and missed counts over the window, from the incidents.deadlines control's evidence. */
export const clockBars = (evidence: Evidence, window: ClockWindow): ClockBar[] =>
  DEADLINE_IDS.map((clock) => ({ clock, label: LABEL[clock], met: figure(evidence, `${clock}.met${window}`), missed: figure(evidence, `${clock}.missed${window}`) }));

/** Whether any clock closed in the window (else the chart says there is nothing to show). */
export const anyClockClosed = (bars: readonly ClockBar[]): boolean => bars.some((b) => b.met + b.missed > 0);
