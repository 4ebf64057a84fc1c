import type { Intent } from '@blueprintjs/core';
import { incidentDeadlines, type DeadlineStatus } from '../../../../shared/incidents/deadlines';
import { describeDetails } from '../../../../shared/incidents/details-text';
import { offlineTiming } from '../../../../shared/incidents/edit-time';
import { IncidentEditSchema, type IncidentEdit } from '../../../../shared/incidents/edits';
import { DETAIL_FIELDS, sentNotices, type Incident, type IncidentDetails, type TimelineEntry } from '../../../../shared/incidents/incident';
import type { DeadlineMove } from '../../../../shared/incidents/deadline-moves';
import { INCIDENT_DEADLINE_POLICY } from '../../../../shared/incidents/deadline-policy';
import type { IncidentConflict } from '../../../../shared/ipc/incidents';
import { formatDateTime } from '../../platform/dateTime';
import { useTimeZone } from '../../platform/timeZoneStore';

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

/** A time in the console's one format (platform/dateTime.ts), in the zone the desk chose. */
export const formatTime = (iso: string): string => formatDateTime(iso, { zone: useTimeZone.getState().zone });

/**
 * Beside an entry pushed well after it was made: when the device recorded it and
 * when the service received it. When the device's time was not accepted (before
 * its last sync, or a clock that was off) it says the receipt counted instead.
 * Null for an edit received as it was made.
 */
export const describeTiming = (e: TimelineEntry): string | null => {
  const timing = offlineTiming(e);
  if (timing === null) return null;
  const received = `received ${formatTime(timing.receivedAt)}`;
  return timing.counted === 'recorded'
    ? `recorded offline at ${formatTime(timing.recordedAt)}, ${received}`
    : `device said ${formatTime(timing.recordedAt)}, ${received}; counted from receipt`;
};

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

/** A tenant's name where the incident's notices carry it, else its id. */
export type TenantName = (tenantId: string) => string;
export const tenantNamesOf = (notices: readonly { tenantId: string; tenantName: string }[]): TenantName => {
  const names = new Map(notices.map((n) => [n.tenantId, n.tenantName]));
  return (id) => names.get(id) ?? id;
};

const pointAt = (p: DeadlineMove['from']): string => (p === 'not_required' ? 'not required' : p === 'not_started' ? 'not started' : `due ${formatTime(p.due)}`);

/** A moved deadline as the timeline keeps it, in absolute times: "Notify affected customers: due … → due …". */
export const describeMovedDeadline = (m: DeadlineMove): string =>
  `${INCIDENT_DEADLINE_POLICY.find((r) => r.id === m.id)?.label ?? m.id}: ${pointAt(m.from)} → ${pointAt(m.to)}`;

const changeFacts = (e: { reason?: string | undefined; deadlineMoves?: readonly DeadlineMove[] | undefined }): string =>
  `${e.reason === undefined ? '' : ` — reason: ${e.reason}`}${e.deadlineMoves?.length ? `; moved ${e.deadlineMoves.map(describeMovedDeadline).join('; ')}` : ''}`;

export const describeEntry = (e: TimelineEntry, tenantName: TenantName = (id) => id, person: (id: string) => string = (id) => id): string => {
  switch (e.kind) {
    case 'note':
      return e.text;
    case 'status_change':
      return `Status ${e.from.replace('_', ' ')} → ${e.to.replace('_', ' ')}${changeFacts(e)}`;
    case 'severity_change':
      return `Severity ${e.from} → ${e.to}${changeFacts(e)}`;
    case 'assignment':
      return `Assigned: commander ${e.commanderId === null ? 'none' : person(e.commanderId)}; ${e.assigneeIds.length === 0 ? 'no assignees' : `assignees ${e.assigneeIds.map(person).join(', ')}`}`;
    case 'notification_sent':
      return `${e.notice} notice marked sent to ${tenantName(e.tenantId)}`;
    case 'details_change':
      return `Details changed: ${describeDetails(e.to, tenantName)}`;
  }
};

/** What an edit would change, in words. */
export const describeChange = (edit: IncidentEdit, tenantName: TenantName = (id) => id, person: (id: string) => string = (id) => id): string => {
  switch (edit.kind) {
    case 'note':
      return `note “${edit.text}”`;
    case 'status':
      return `status → ${edit.to.replace('_', ' ')}`;
    case 'severity':
      return `severity → ${edit.to}`;
    case 'assignment':
      return `commander → ${edit.commanderId === null ? 'none' : person(edit.commanderId)}, ${edit.assigneeIds.length} assignee(s)`;
    case 'notification_sent':
      return `${edit.notice} notice to ${tenantName(edit.tenantId)} marked sent`;
    case 'details':
      return describeDetails(edit.changes, tenantName);
  }
};

/** The same fields as the edit names, as the service holds them now. */
export const theirsOf = (edit: IncidentEdit, theirs: Incident, tenantName: TenantName, person: (id: string) => string): string => {
  switch (edit.kind) {
    case 'status':
      return `status ${theirs.status.replace('_', ' ')}`;
    case 'severity':
      return `severity ${theirs.severity}`;
    case 'assignment':
      return `commander ${theirs.commanderId === null ? 'none' : person(theirs.commanderId)}, ${theirs.assigneeIds.length} assignee(s)`;
    case 'details': {
      const now: IncidentDetails = {};
      for (const f of DETAIL_FIELDS) if (f in edit.changes) Object.assign(now, { [f]: theirs[f] });
      return describeDetails(now, tenantName);
    }
    case 'note':
    case 'notification_sent':
      return `severity ${theirs.severity}, status ${theirs.status.replace('_', ' ')}`;
  }
};

/**
 * The note a "merge notes" answer starts from: what I changed and when, and what
 * the service has now, with when and who if the offline copy knows. The user edits
 * it before it is added to the timeline.
 */
export const mergeNoteDraft = (
  conflict: Pick<IncidentConflict, 'edit' | 'theirs' | 'theirChange'>,
  tenantName: TenantName = (id) => id,
  person: (id: string) => string = (id) => id,
): string => {
  const parsed = IncidentEditSchema.safeParse(conflict.edit);
  if (!parsed.success) return '';
  const edit = parsed.data;
  const lines = [`My offline change (made ${formatTime(edit.at)}), not applied: ${describeChange(edit, tenantName, person)}.`];
  if (conflict.theirs) {
    const by = conflict.theirChange ? `changed ${formatTime(conflict.theirChange.at)} by ${person(conflict.theirChange.actorId)}, ` : '';
    lines.push(`On the service now: ${theirsOf(edit, conflict.theirs, tenantName, person)} (${by}version ${conflict.theirs.version}).`);
  }
  return lines.join('\n');
};
