import { INCIDENT_DEADLINE_POLICY, type DeadlineId, type DeadlineRule } from './deadline-policy';
import { applicableRules, deadlineStatus } from './deadlines';
import { SEVERITIES, type SentNotice, type Severity } from './incident';

type Facts = Parameters<typeof applicableRules>[0];

/**
 * Where a deadline stands on one side of a change: due at an instant, waiting for
 * its clock to start, or not asked for at all (severity or personal data).
 */
export type DeadlinePoint = { readonly due: string } | 'not_started' | 'not_required';

/** A deadline a severity, status or details change moves: its due instant before and after. */
export interface DeadlineMove {
  readonly id: DeadlineId;
  readonly from: DeadlinePoint;
  readonly to: DeadlinePoint;
}

const pointOf = (rule: DeadlineRule, incident: Facts): DeadlinePoint => {
  const window = rule.within[incident.severity];
  if (window === undefined || (rule.personalDataOnly && !incident.personalData)) return 'not_required';
  const start = incident[rule.startsAt];
  return start === null ? 'not_started' : { due: new Date(Date.parse(start) + window * 1000).toISOString() };
};

const samePoint = (a: DeadlinePoint, b: DeadlinePoint): boolean => (typeof a === 'string' || typeof b === 'string' ? a === b : a.due === b.due);

/** Whether the deadline is closed (met, or done late) on this side: a closed one is not moved by anything. */
const closed = (rule: DeadlineRule, incident: Facts, sent: readonly SentNotice[]): boolean => {
  if (rule.within[incident.severity] === undefined || (rule.personalDataOnly && !incident.personalData)) return false;
  const s = deadlineStatus(rule, incident, sent, new Date(0));
  return s.state === 'met' || (s.state === 'missed' && s.satisfiedAt !== null);
};

/**
 * The deadlines a change from `before` to `after` moves, in policy order, by the
 * same policy the service enforces. A deadline already met on both sides is left out.
 */
export function deadlineMoves(before: Facts, after: Facts, sent: readonly SentNotice[]): DeadlineMove[] {
  const moves: DeadlineMove[] = [];
  for (const rule of INCIDENT_DEADLINE_POLICY) {
    const from = pointOf(rule, before);
    const to = pointOf(rule, after);
    if (samePoint(from, to)) continue;
    if (closed(rule, before, sent) && closed(rule, after, sent)) continue;
    moves.push({ id: rule.id, from, to });
  }
  return moves;
}

/** P0 is the most severe: a change to a later severity is a downgrade, and needs a reason. */
export const isDowngrade = (from: Severity, to: Severity): boolean => SEVERITIES.indexOf(to) > SEVERITIES.indexOf(from);

/** A notice one affected tenant is owed now: its deadline has started and is not met. */
export interface OwedNotice {
  readonly id: DeadlineId;
  readonly notice: SentNotice['notice'];
  readonly tenantId: string | null;
}

/**
 * The notices the policy asks for and nobody has sent yet, per affected tenant
 * (one entry with tenant null for an incident that lists none): what resolving
 * warns about and asks a reason for.
 */
export function owedNotices(incident: Facts, sent: readonly SentNotice[]): OwedNotice[] {
  const owed: OwedNotice[] = [];
  for (const rule of applicableRules(incident)) {
    if (!('notice' in rule.metBy) || incident[rule.startsAt] === null) continue;
    const kind = rule.metBy.notice;
    const tenants: (string | null)[] = incident.affectedTenantIds.length === 0 ? [null] : [...incident.affectedTenantIds];
    for (const tenantId of tenants) {
      const done = sent.some((n) => n.notice === kind && (tenantId === null || n.tenantId === tenantId));
      if (!done) owed.push({ id: rule.id, notice: kind, tenantId });
    }
  }
  return owed;
}
