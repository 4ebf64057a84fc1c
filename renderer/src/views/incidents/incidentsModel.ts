import type { Intent } from '@blueprintjs/core';
import { incidentDeadlines, type DeadlineStatus } from '../../../../shared/incidents/deadlines';
import { sentNotices, type Incident, type TimelineEntry } from '../../../../shared/incidents/incident';

/**
 * Deadlines at the local clock, from the one policy in shared/ (never recomputed
 * here): the page ticks this every second, so countdowns run offline too.
 */
export const deadlinesAt = (incident: Incident, timeline: readonly TimelineEntry[], now: Date): DeadlineStatus[] =>
  incidentDeadlines(incident, sentNotices(timeline), now);

export const DEADLINE_INTENT: Record<DeadlineStatus['state'], Intent> = {
  not_started: 'none',
  pending: 'primary',
  amber: 'warning',
  met: 'success',
  missed: 'danger',
};

/** 1d 02:03:04, or 02:03:04 under a day. */
export const formatDuration = (ms: number): string => {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86_400);
  const hms = [Math.floor((total % 86_400) / 3600), Math.floor((total % 3600) / 60), total % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return d > 0 ? `${d}d ${hms}` : hms;
};

const when = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' });
export const formatTime = (iso: string): string => when.format(new Date(iso));

/** What a deadline shows beside its label. */
export const describeDeadline = (d: DeadlineStatus): string => {
  switch (d.state) {
    case 'not_started':
      return `starts at ${d.startsWhen.replace(/At$/, '')}`;
    case 'pending':
    case 'amber':
      return `${formatDuration(d.remainingMs)} left · due ${formatTime(d.dueAt)}`;
    case 'met':
      return `met ${formatTime(d.satisfiedAt)}`;
    case 'missed':
      return d.satisfiedAt === null ? `missed · ${formatDuration(d.lateByMs)} late` : `missed · done ${formatTime(d.satisfiedAt)} (${formatDuration(d.lateByMs)} late)`;
  }
};

export const describeEntry = (e: TimelineEntry): string => {
  switch (e.kind) {
    case 'note':
      return e.text;
    case 'status_change':
      return `Status ${e.from} → ${e.to}`;
    case 'severity_change':
      return `Severity ${e.from} → ${e.to}`;
    case 'assignment':
      return `Assigned: commander ${e.commanderId ?? 'none'}; ${e.assigneeIds.length} assignee(s)`;
    case 'notification_sent':
      return `${e.notice} notice marked sent (tenant ${e.tenantId})`;
  }
};
