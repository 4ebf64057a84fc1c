import { DEADLINE_AMBER_FRACTION, INCIDENT_DEADLINE_POLICY, type ClockStart, type DeadlineId, type DeadlineRule } from './deadline-policy';
import type { Incident, SentNotice } from './incident';

interface Running {
  readonly id: DeadlineId;
  readonly label: string;
  readonly startedAt: string;
  readonly dueAt: string;
  /** When it turns (or turned) amber: the console schedules its warning for this instant. */
  readonly amberAt: string;
  readonly windowSeconds: number;
}

/**
 * One deadline of an incident at an instant. Open: not_started (its clock's start
 * has not happened), pending, amber (≤ 25% of its window left, the due instant
 * included) or missed (past due, satisfiedAt null). Closed: met, or missed with
 * the late satisfiedAt.
 */
export type DeadlineStatus =
  | { readonly id: DeadlineId; readonly label: string; readonly state: 'not_started'; readonly startsWhen: ClockStart }
  | (Running & { readonly state: 'pending' | 'amber'; readonly remainingMs: number })
  | (Running & { readonly state: 'met'; readonly satisfiedAt: string })
  | (Running & { readonly state: 'missed'; readonly satisfiedAt: string | null; readonly lateByMs: number });

export type DeadlineState = DeadlineStatus['state'];

/**
 * The incident's times and the notices' sent times as the service accepted them:
 * its receipt time, or an offline edit's own time within its window
 * (shared/incidents/edit-time.ts). A device's clock alone never meets a deadline.
 */
type DeadlineFacts = Pick<
  Incident,
  'severity' | 'personalData' | 'affectedTenantIds' | 'detectedAt' | 'awareAt' | 'verifiedAt' | 'classifiedAt' | 'resolvedAt' | 'reviewPublishedAt'
>;

/** The rules that bind this incident as it stands now (its current severity and personal-data flag). */
export const applicableRules = (incident: DeadlineFacts, policy: readonly DeadlineRule[] = INCIDENT_DEADLINE_POLICY): DeadlineRule[] =>
  policy.filter((rule) => rule.within[incident.severity] !== undefined && (!rule.personalDataOnly || incident.personalData));

const ms = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not a timestamp: ${iso}`);
  return t;
};

/**
 * When a notice kind counts as sent: once every affected tenant has had one (the
 * latest of their first notices), or — when no tenant is listed — at the first.
 */
const noticeSatisfiedAt = (incident: DeadlineFacts, notices: readonly SentNotice[], kind: SentNotice['notice']): number | null => {
  const firstByTenant = new Map<string, number>();
  for (const n of notices) {
    if (n.notice !== kind) continue;
    const at = ms(n.at);
    const seen = firstByTenant.get(n.tenantId);
    if (seen === undefined || at < seen) firstByTenant.set(n.tenantId, at);
  }
  if (incident.affectedTenantIds.length === 0) return firstByTenant.size === 0 ? null : Math.min(...firstByTenant.values());
  let latest = Number.NEGATIVE_INFINITY;
  for (const tenantId of incident.affectedTenantIds) {
    const at = firstByTenant.get(tenantId);
    if (at === undefined) return null;
    latest = Math.max(latest, at);
  }
  return latest;
};

const satisfiedAt = (rule: DeadlineRule, incident: DeadlineFacts, notices: readonly SentNotice[]): number | null => {
  if ('time' in rule.metBy) {
    const at = incident[rule.metBy.time];
    return at === null ? null : ms(at);
  }
  return noticeSatisfiedAt(incident, notices, rule.metBy.notice);
};

export function deadlineStatus(rule: DeadlineRule, incident: DeadlineFacts, notices: readonly SentNotice[], now: Date): DeadlineStatus {
  const window = rule.within[incident.severity];
  if (window === undefined) throw new RangeError(`${rule.id} does not apply to ${incident.severity}`);
  const start = incident[rule.startsAt];
  if (start === null) return { id: rule.id, label: rule.label, state: 'not_started', startsWhen: rule.startsAt };
  const startMs = ms(start);
  const windowMs = window * 1000;
  const dueMs = startMs + windowMs;
  const running: Running = {
    id: rule.id,
    label: rule.label,
    startedAt: new Date(startMs).toISOString(),
    dueAt: new Date(dueMs).toISOString(),
    amberAt: new Date(dueMs - windowMs * DEADLINE_AMBER_FRACTION).toISOString(),
    windowSeconds: window,
  };
  const done = satisfiedAt(rule, incident, notices);
  if (done !== null) {
    const at = new Date(done).toISOString();
    return done <= dueMs ? { ...running, state: 'met', satisfiedAt: at } : { ...running, state: 'missed', satisfiedAt: at, lateByMs: done - dueMs };
  }
  const remainingMs = dueMs - now.getTime();
  if (remainingMs < 0) return { ...running, state: 'missed', satisfiedAt: null, lateByMs: -remainingMs };
  return { ...running, state: remainingMs <= windowMs * DEADLINE_AMBER_FRACTION ? 'amber' : 'pending', remainingMs };
}

/** Every deadline that applies to the incident, in policy order, as it stands at `now`. */
export const incidentDeadlines = (incident: DeadlineFacts, notices: readonly SentNotice[], now: Date): DeadlineStatus[] =>
  applicableRules(incident).map((rule) => deadlineStatus(rule, incident, notices, now));

/** Deadlines still running at `now` that are past due: what the incidents list's "overdue" filter shows. */
export const isOverdue = (deadlines: readonly DeadlineStatus[]): boolean => deadlines.some((d) => d.state === 'missed' && d.satisfiedAt === null);

/**
 * The next instant after `now` at which one of these deadlines changes colour
 * (turns amber or is missed), or null when none will: when the console re-evaluates
 * and raises its "about to be missed" notification, online or off.
 */
export function nextDeadlineChange(deadlines: readonly DeadlineStatus[], now: Date): Date | null {
  let next = Number.POSITIVE_INFINITY;
  for (const d of deadlines) {
    if (d.state !== 'pending' && d.state !== 'amber') continue;
    const amber = Date.parse(d.amberAt);
    // Missed begins one millisecond after the due instant.
    const missed = Date.parse(d.dueAt) + 1;
    for (const t of [amber, missed]) if (t > now.getTime() && t < next) next = t;
  }
  return Number.isFinite(next) ? new Date(next) : null;
}
