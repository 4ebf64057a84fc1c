import { describe, expect, it } from 'vitest';
import type { IncidentListItem } from '../../../../shared/ipc/incidents';
import { CONTROLS } from '../../../../shared/posture/catalogue';
import { DRILL_DOWNS, drillDownOf, incidentsWithMissedDeadline } from './drillDownModel';

describe('drill-down model', () => {
  it('sends the MFA control to the Users view filtered to active members without MFA', () => {
    expect(drillDownOf({ id: 'auth.mfa', section: 'Authentication' }, false)).toEqual({
      kind: 'users',
      label: 'Active members without MFA',
      filters: { status: 'active', mfa: 'not_enrolled' },
    });
  });

  it('sends incident deadlines to the missed incidents, and each other control to the view holding its evidence', () => {
    expect(drillDownOf({ id: 'incidents.deadlines', section: 'Incident response' }, true)).toMatchObject({ kind: 'missedIncidents' });
    expect(drillDownOf({ id: 'access.reviews', section: 'Authorization and access governance' }, false)).toMatchObject({ section: 'reviews' });
    expect(drillDownOf({ id: 'audit.integrity', section: 'Audit log' }, true)).toMatchObject({ section: 'audit' });
    expect(drillDownOf({ id: 'auth.anomalous_sign_ins', section: 'Authentication' }, false)).toMatchObject({ kind: 'sessions', flaggedOnly: true });
    expect(drillDownOf({ id: 'transport.tls', section: 'Encryption' }, true)).toBeNull();
    // A control added later falls back to its section; a flag review lands on the flagged sessions.
    expect(drillDownOf({ id: 'sessions.flags_reviewed', section: 'Sessions' }, false)).toEqual({ kind: 'sessions', label: 'Flagged sign-ins', flaggedOnly: true });
    expect(drillDownOf({ id: 'backups.restore', section: 'Backups' }, false)).toBeNull();
  });

  it('decides a drill-down (or none) for every catalogue control, and none to tenant lists for the platform', () => {
    expect(CONTROLS.filter((c) => !(c.id in DRILL_DOWNS)).map((c) => c.id)).toEqual([]);
    expect(drillDownOf({ id: 'auth.mfa', section: 'Authentication' }, true)).toBeNull();
    expect(drillDownOf({ id: 'access.api_tokens', section: 'Authorization and access governance' }, true)).toBeNull();
  });

  it('lists only incidents with a missed clock, newest detection first, naming the clocks missed', () => {
    const item = (id: string, detectedAt: string, states: Array<'met' | 'missed' | 'pending'>): IncidentListItem =>
      ({
        incident: { id, title: `Incident ${id}`, severity: 'P1', detectedAt },
        deadlines: states.map((state, i) => ({ id: 'classification', label: `Clock ${i}`, state })),
        overdue: false,
        pendingEdits: 0,
        conflicts: 0,
      }) as unknown as IncidentListItem;
    const missed = incidentsWithMissedDeadline([
      item('a', '2026-11-01T00:00:00Z', ['met', 'missed']),
      item('b', '2026-11-02T00:00:00Z', ['met', 'pending']),
      item('c', '2026-11-03T00:00:00Z', ['missed', 'missed']),
    ]);
    expect(missed).toEqual([
      { incidentId: 'c', title: 'Incident c', severity: 'P1', missed: ['Clock 0', 'Clock 1'] },
      { incidentId: 'a', title: 'Incident a', severity: 'P1', missed: ['Clock 1'] },
    ]);
  });
});
