import type { Intent } from '@blueprintjs/core';
import { compactSpan, humanSpan } from '../../../../shared/common/spans';
import { INCIDENT_DEADLINE_POLICY, type ClockStart, type DeadlineId } from '../../../../shared/incidents/deadline-policy';
import { deadlineMoves, isDowngrade, owedNotices, type DeadlineMove, type DeadlinePoint, type OwedNotice } from '../../../../shared/incidents/deadline-moves';
import type { DeadlineStatus } from '../../../../shared/incidents/deadlines';
import { applyStatusChange, type Incident, type IncidentStatus, type SentNotice, type Severity } from '../../../../shared/incidents/incident';


/** The list's next-deadline cell: the time left, or how late, in one short phrase. */
export const nextDeadlineText = (d: NonNullable<ReturnType<typeof nextDeadline>>, now: Date): string => {
  const left = Date.parse(d.dueAt) - now.getTime();
  return left >= 0 ? compactSpan(left) : `late ${compactSpan(left)}`;
};

const STARTS_WHEN: Record<ClockStart, string> = {
  detectedAt: 'detection',
  classifiedAt: 'triage',
  awareAt: 'awareness',
  verifiedAt: 'verification',
  resolvedAt: 'resolution',
};

const ruleOf = (id: DeadlineId) => INCIDENT_DEADLINE_POLICY.find((r) => r.id === id)!;

/** One side of a moved deadline in words, at `now`. */
export const describePoint = (id: DeadlineId, point: DeadlinePoint, now: Date): string => {
  if (point === 'not_required') return 'not required';
  if (point === 'not_started') return `starts at ${STARTS_WHEN[ruleOf(id).startsAt]}`;
  const left = Date.parse(point.due) - now.getTime();
  return left >= 0 ? `due in ${humanSpan(left)}` : `overdue by ${humanSpan(left)}`;
};

/** "Notify affected customers: due in 21 h → due in 2 d 21 h". */
export const describeMove = (move: DeadlineMove, now: Date): string =>
  `${ruleOf(move.id).label}: ${describePoint(move.id, move.from, now)} → ${describePoint(move.id, move.to, now)}`;

export type PlannedChange = { kind: 'severity'; to: Severity } | { kind: 'status'; to: IncidentStatus };

/** What a severity or status change would do, by the shared rules the service applies: moved deadlines, and whether it needs a reason. */
export interface ChangePreview {
  readonly moves: DeadlineMove[];
  /** Why a reason is asked for, or null when none is. */
  readonly reasonRequired: 'downgrade' | 'unsent_notices' | null;
  /** The notices owed now: resolving with any of these unsent warns. */
  readonly owed: OwedNotice[];
}

export function previewChange(incident: Incident, change: PlannedChange, sent: readonly SentNotice[], now: Date): ChangePreview | string {
  const next = change.kind === 'severity' ? { ...incident, severity: change.to } : applyStatusChange(incident, change.to, now.toISOString());
  if (typeof next === 'string') return next;
  const owed = change.kind === 'status' && change.to === 'resolved' ? owedNotices(incident, sent) : [];
  const reasonRequired = change.kind === 'severity' && isDowngrade(incident.severity, change.to) ? 'downgrade' : owed.length > 0 ? 'unsent_notices' : null;
  return { moves: deadlineMoves(incident, next, sent), reasonRequired, owed };
}

/** A running deadline as a countdown bar: the share of its window left, coloured by the policy's state. */
export interface Countdown {
  readonly value: number;
  readonly intent: Intent;
  readonly text: string;
}

export const COUNTDOWN_INTENT: Record<DeadlineStatus['state'], Intent> = {
  not_started: 'none',
  pending: 'success',
  amber: 'warning',
  met: 'success',
  missed: 'danger',
};

export function countdownOf(d: DeadlineStatus, now: Date): Countdown {
  switch (d.state) {
    case 'not_started':
      return { value: 0, intent: 'none', text: `starts at ${STARTS_WHEN[d.startsWhen]}` };
    case 'pending':
    case 'amber': {
      const left = Date.parse(d.dueAt) - now.getTime();
      return { value: Math.max(0, Math.min(1, left / (d.windowSeconds * 1000))), intent: COUNTDOWN_INTENT[d.state], text: `due in ${humanSpan(left)}` };
    }
    case 'met':
      return { value: 1, intent: 'success', text: 'met' };
    case 'missed':
      return { value: 1, intent: 'danger', text: d.satisfiedAt === null ? `overdue by ${humanSpan(d.lateByMs)}` : `done ${humanSpan(d.lateByMs)} late` };
  }
}

/** The list's "next deadline": the open deadline due soonest (a missed one first), or null when none is running. */
export function nextDeadline(deadlines: readonly DeadlineStatus[]): Extract<DeadlineStatus, { state: 'pending' | 'amber' | 'missed' }> | null {
  let best: Extract<DeadlineStatus, { state: 'pending' | 'amber' | 'missed' }> | null = null;
  for (const d of deadlines) {
    if (d.state !== 'pending' && d.state !== 'amber' && !(d.state === 'missed' && d.satisfiedAt === null)) continue;
    if (best === null || Date.parse(d.dueAt) < Date.parse(best.dueAt)) best = d;
  }
  return best;
}
