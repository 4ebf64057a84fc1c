import { humanSpan } from '../../../shared/common/spans';
import type { IncidentAlert, IncidentListItem } from '../../../shared/ipc/incidents';

/**
 * Which desktop notifications are due: a deadline that turned amber (before it
 * turns red), and an incident newly assigned to the signed-in person. Each fires
 * once per console run; assignments already in place at the first look are
 * remembered without a notification, so a restart does not repeat them.
 */
export interface IncidentAlerts {
  /** The alerts due now for these incidents (the local view, so this works offline). */
  check(items: readonly IncidentListItem[], me: string | null): IncidentAlert[];
}

export function createIncidentAlerts(): IncidentAlerts {
  const fired = new Set<string>();
  let seeded = false;
  return {
    check(items, me) {
      const alerts: IncidentAlert[] = [];
      for (const { incident, deadlines } of items) {
        for (const d of deadlines) {
          if (d.state !== 'amber') continue;
          const key = `deadline:${incident.id}:${d.id}:${d.dueAt}`;
          if (fired.has(key)) continue;
          fired.add(key);
          alerts.push({
            kind: 'deadline_amber',
            incidentId: incident.id,
            title: `${incident.severity} · ${d.label}`,
            // No instant in the words: a desktop notification cannot follow the console's time zone setting; the toast shows dueAt through it.
            message: `Due in ${humanSpan(d.remainingMs)}: “${incident.title}”.`,
            dueAt: d.dueAt,
          });
        }
        if (me !== null && (incident.commanderId === me || incident.assigneeIds.includes(me))) {
          const key = `assigned:${incident.id}`;
          if (fired.has(key)) continue;
          fired.add(key);
          if (seeded) {
            alerts.push({
              kind: 'assigned',
              incidentId: incident.id,
              title: `${incident.severity} incident assigned to you`,
              message: incident.commanderId === me ? `You are the commander of “${incident.title}”.` : `You were assigned to “${incident.title}”.`,
              dueAt: null,
            });
          }
        }
      }
      seeded = true;
      return alerts;
    },
  };
}
