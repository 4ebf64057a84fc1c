import { describe, expect, it } from 'vitest';
import { incidentDeadlines, isOverdue } from '../../../shared/incidents/deadlines';
import type { Incident } from '../../../shared/incidents/incident';
import { sampleIncident } from '../../../shared/incidents/incident.fixture';
import type { IncidentListItem } from '../../../shared/ipc/incidents';
import { createIncidentAlerts } from './incident-alerts';

const ME = '11111111-1111-4111-8111-111111111111';
const base: Incident = sampleIncident();
/** The list item the core builds, with deadlines from the shared policy at `minutes` after detection. */
const at = (incident: Incident, minutes: number): IncidentListItem => {
  const deadlines = incidentDeadlines(incident, [], new Date(Date.parse(incident.detectedAt) + minutes * 60_000)) as IncidentListItem['deadlines'];
  return { incident, deadlines, overdue: isOverdue(deadlines), pendingEdits: 0, conflicts: 0, declaredPending: false };
};

describe('incident alerts', () => {
  it('warns once when the classification deadline turns amber, before it is missed', () => {
    const alerts = createIncidentAlerts();
    expect(alerts.check([at(base, 10)], ME)).toEqual([]);
    expect(alerts.check([at(base, 23)], ME)).toEqual([
      { kind: 'deadline_amber', incidentId: base.id, title: 'P0 · Classify the incident', message: 'Due in 7 min: “Token leak”.', dueAt: '2026-01-01T10:30:00.000Z' },
    ]);
    expect(alerts.check([at(base, 25)], ME)).toEqual([]);
    expect(alerts.check([at(base, 40)], ME)).toEqual([]);
  });

  it('tells me when an incident is assigned to me after the first look, not for assignments already there', () => {
    const alerts = createIncidentAlerts();
    const other = { ...base, id: '8d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', title: 'Old one', commanderId: ME };
    expect(alerts.check([at(other, 1)], ME)).toEqual([]);
    const assigned = { ...base, assigneeIds: [ME] };
    expect(alerts.check([at(other, 2), at(assigned, 2)], ME)).toEqual([
      { kind: 'assigned', incidentId: base.id, title: 'P0 incident assigned to you', message: 'You were assigned to “Token leak”.', dueAt: null },
    ]);
    expect(alerts.check([at(other, 3), at(assigned, 3)], ME)).toEqual([]);
  });
});
