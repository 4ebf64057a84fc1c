import { describe, expect, it } from 'vitest';
import { incidentDeadlines } from './deadlines';
import { applyIncidentEdit, IncidentEditSchema, type AppliedEdit, type IncidentEdit } from './edits';
import { sentNotices, type Incident } from './incident';
import { sampleIncident } from './incident.fixture';
import type { TenantId } from '../tenants/tenant';

const ACME = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const OTHER = '1a2b3c4d-0000-4000-8000-000000000002' as TenantId;
const ANA = 'b9f6c1de-0000-4000-8000-000000000001';
const BEN = 'b9f6c1de-0000-4000-8000-000000000002';
const incident: Incident = sampleIncident({
  id: '0b0e1c2d-0000-4000-8000-00000000000a',
  title: 'Leaked API keys',
  severity: 'P1',
  affectedTenantIds: [ACME],
  detectedAt: '2026-11-23T00:00:00.000Z',
  version: 4,
});
const by = { entryId: '5e0d7c1b-0000-4000-8000-000000000001', actorId: ANA };
const at = '2026-11-23T00:20:00.000Z';
type Draft = IncidentEdit extends infer E ? (E extends unknown ? Omit<E, 'incidentId' | 'at'> : never) : never;
const edit = (e: Draft): IncidentEdit => IncidentEditSchema.parse({ incidentId: incident.id, at, ...e });
const applied = (r: ReturnType<typeof applyIncidentEdit>): AppliedEdit => {
  if (typeof r === 'string') throw new Error(`refused: ${r}`);
  return r;
};

describe('incident edits', () => {
  it('a status change moves the version, stamps classification at the edit time and records from → to', () => {
    const r = applied(applyIncidentEdit(incident, edit({ kind: 'status', baseVersion: 4, to: 'triaged' }), by));
    expect(r.incident).toMatchObject({ status: 'triaged', classifiedAt: at, version: 5, updatedAt: at });
    // Triage starts the customer-notice clock: the entry records the deadline it set.
    const due = new Date(Date.parse(at) + 72 * 3_600_000).toISOString();
    expect(r.entry).toEqual({
      id: by.entryId,
      incidentId: incident.id,
      at,
      actorId: ANA,
      kind: 'status_change',
      from: 'detected',
      to: 'triaged',
      deadlineMoves: [{ id: 'customer_notice', from: 'not_started', to: { due } }],
    });
    // Applied without the service's times (the console's pending view), the edit's own time stands.
    expect(incidentDeadlines(r.incident, [], new Date('2026-11-23T05:00:00.000Z'))[0]).toMatchObject({ state: 'met', satisfiedAt: at });
  });

  it('with the times the service judged, the time that counts stamps the incident and the entry carries recorded and received times', () => {
    const receivedAt = '2026-11-26T22:00:00.000Z';
    const late = { at: receivedAt, recordedAt: at, receivedAt };
    const r = applied(applyIncidentEdit(incident, edit({ kind: 'status', baseVersion: 4, to: 'triaged' }), { ...by, times: late }));
    expect(r.incident).toMatchObject({ classifiedAt: receivedAt, updatedAt: receivedAt });
    expect(r.entry).toMatchObject({ at: receivedAt, recordedAt: at, receivedAt });
    expect(incidentDeadlines(r.incident, [], new Date(receivedAt))[0]).toMatchObject({ state: 'missed', satisfiedAt: receivedAt });
    const sent = applied(applyIncidentEdit(incident, edit({ kind: 'notification_sent', notice: 'customer', tenantId: ACME }), { ...by, times: late }));
    expect(sentNotices([sent.entry])).toEqual([{ notice: 'customer', tenantId: ACME, at: receivedAt }]);
    const offline = { at, recordedAt: at, receivedAt };
    const kept = applied(applyIncidentEdit(incident, edit({ kind: 'details', baseVersion: 4, changes: { personalData: true } }), { ...by, times: offline }));
    expect(kept.incident).toMatchObject({ awareAt: at, updatedAt: receivedAt });
  });

  it('a field edit based on an older version is a conflict; notes and sent notices never conflict nor move the version', () => {
    expect(applyIncidentEdit(incident, edit({ kind: 'severity', baseVersion: 3, to: 'P0' }), by)).toBe('version_conflict');
    expect(applyIncidentEdit(incident, edit({ kind: 'assignment', baseVersion: 5, commanderId: ANA, assigneeIds: [] }), by)).toBe('version_conflict');
    const note = applied(applyIncidentEdit(incident, edit({ kind: 'note', text: 'Paste taken down.' }), by));
    expect(note.incident).toBe(incident);
    expect(note.entry).toMatchObject({ kind: 'note', text: 'Paste taken down.' });
    const sent = applied(applyIncidentEdit(incident, edit({ kind: 'notification_sent', notice: 'customer', tenantId: ACME }), by));
    expect(sent.incident.version).toBe(4);
    expect(sentNotices([sent.entry])).toEqual([{ notice: 'customer', tenantId: ACME, at }]);
  });

  it('severity and assignment change the fields and say what changed', () => {
    const severity = applied(applyIncidentEdit(incident, edit({ kind: 'severity', baseVersion: 4, to: 'P0' }), by));
    expect(severity.incident).toMatchObject({ severity: 'P0', version: 5 });
    expect(severity.entry).toMatchObject({ kind: 'severity_change', from: 'P1', to: 'P0' });
    const assignment = applied(applyIncidentEdit(incident, edit({ kind: 'assignment', baseVersion: 4, commanderId: ANA, assigneeIds: [BEN] }), by));
    expect(assignment.incident).toMatchObject({ commanderId: ANA, assigneeIds: [BEN], version: 5 });
    expect(assignment.entry).toMatchObject({ kind: 'assignment', commanderId: ANA, assigneeIds: [BEN] });
  });

  it('refuses no-op and impossible changes, another incident and a notice to a tenant not affected', () => {
    expect(applyIncidentEdit(incident, edit({ kind: 'severity', baseVersion: 4, to: 'P1' }), by)).toBe('same_severity');
    expect(applyIncidentEdit(incident, edit({ kind: 'status', baseVersion: 4, to: 'resolved' }), by)).toBe('transition_not_allowed');
    expect(applyIncidentEdit(incident, edit({ kind: 'status', baseVersion: 4, to: 'detected' }), by)).toBe('same_status');
    expect(applyIncidentEdit({ ...incident, id: '0b0e1c2d-0000-4000-8000-00000000000b' }, edit({ kind: 'note', text: 'x' }), by)).toBe('wrong_incident');
    expect(applyIncidentEdit(incident, edit({ kind: 'notification_sent', notice: 'regulator', tenantId: OTHER }), by)).toBe('tenant_not_affected');
  });

  it('the schema refuses edits without a base version where one is needed, and unknown kinds', () => {
    expect(IncidentEditSchema.safeParse({ incidentId: incident.id, at, kind: 'severity', to: 'P0' }).success).toBe(false);
    expect(IncidentEditSchema.safeParse({ incidentId: incident.id, at, kind: 'note', text: 'x', baseVersion: 1 }).success).toBe(false);
    expect(IncidentEditSchema.safeParse({ incidentId: incident.id, at, kind: 'delete' }).success).toBe(false);
    expect(IncidentEditSchema.safeParse({ incidentId: incident.id, at: 'yesterday', kind: 'note', text: 'x' }).success).toBe(false);
  });

  it('a details edit changes only the fields that differ, records before and after, and restarts the clocks from the new facts', () => {
    const r = applied(
      applyIncidentEdit(incident, edit({ kind: 'details', baseVersion: 4, changes: { title: 'Leaked API keys', personalData: true, affectedTenantIds: [OTHER, ACME, OTHER] } }), by),
    );
    // The title is unchanged, so it is not recorded; awareness is stamped at the edit when personal data is flagged without one.
    expect(r.entry).toMatchObject({
      kind: 'details_change',
      from: { personalData: false, awareAt: null, affectedTenantIds: [ACME] },
      to: { personalData: true, awareAt: at, affectedTenantIds: [OTHER, ACME].sort() },
    });
    expect(r.entry.kind === 'details_change' && 'title' in r.entry.to).toBe(false);
    expect(r.incident).toMatchObject({ version: 5, personalData: true, awareAt: at });
    const verified = applied(applyIncidentEdit(r.incident, edit({ kind: 'details', baseVersion: 5, changes: { verifiedAt: '2026-11-23T00:10:00+00:00' } }), by));
    expect(verified.incident.verifiedAt).toBe('2026-11-23T00:10:00.000Z');
    const deadlines = incidentDeadlines(verified.incident, [], new Date('2026-11-23T01:00:00.000Z'));
    expect(deadlines.find((d) => d.id === 'regulator_notice')).toMatchObject({ state: 'pending', startedAt: at });
    expect(deadlines.find((d) => d.id === 'breach_notice')).toMatchObject({ state: 'pending', startedAt: '2026-11-23T00:10:00.000Z', dueAt: '2026-11-24T00:10:00.000Z' });
  });

  it('refuses a details edit that changes nothing, dates a fact before detection, or names no field', () => {
    expect(applyIncidentEdit(incident, edit({ kind: 'details', baseVersion: 4, changes: { title: 'Leaked API keys', affectedTenantIds: [ACME] } }), by)).toBe('same_details');
    expect(applyIncidentEdit(incident, edit({ kind: 'details', baseVersion: 4, changes: { verifiedAt: '2026-11-22T23:59:59.000Z' } }), by)).toBe('time_before_detection');
    expect(applyIncidentEdit(incident, edit({ kind: 'details', baseVersion: 3, changes: { title: 'x' } }), by)).toBe('version_conflict');
    expect(IncidentEditSchema.safeParse({ incidentId: incident.id, at, kind: 'details', baseVersion: 4, changes: {} }).success).toBe(false);
    expect(IncidentEditSchema.safeParse({ incidentId: incident.id, at, kind: 'details', baseVersion: 4, changes: { severity: 'P0' } }).success).toBe(false);
  });
});
