import { describe, expect, it } from 'vitest';
import { applyStatusChange, canTransition, IncidentSchema, INCIDENT_STATUSES, sentNotices, TimelineEntrySchema, type Incident } from './incident';
import type { TenantId } from '../tenants/tenant';

const base: Incident = {
  id: '0b0e1c2d-0000-4000-8000-00000000000a',
  title: 'Leaked API keys',
  description: 'Keys of two tenants were found in a public paste.',
  severity: 'P1',
  status: 'detected',
  commanderId: null,
  assigneeIds: [],
  affectedTenantIds: ['7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId],
  personalData: true,
  detectedAt: '2026-11-23T00:00:00.000Z',
  awareAt: '2026-11-23T00:05:00.000Z',
  verifiedAt: null,
  classifiedAt: null,
  resolvedAt: null,
  reviewPublishedAt: null,
  version: 1,
  createdAt: '2026-11-23T00:00:00.000Z',
  updatedAt: '2026-11-23T00:00:00.000Z',
};
const actor = { id: '5e0d7c1b-0000-4000-8000-000000000001', incidentId: base.id, at: '2026-11-23T00:10:00.000Z', actorId: 'b9f6c1de-0000-4000-8000-000000000001' };

describe('incident schema', () => {
  it('accepts a complete incident and refuses unknown severities, statuses and extra fields', () => {
    expect(IncidentSchema.parse(base)).toEqual(base);
    expect(IncidentSchema.safeParse({ ...base, severity: 'P4' }).success).toBe(false);
    expect(IncidentSchema.safeParse({ ...base, status: 'closed' }).success).toBe(false);
    expect(IncidentSchema.safeParse({ ...base, dueAt: '2026-11-24T00:00:00.000Z' }).success).toBe(false);
    expect(IncidentSchema.safeParse({ ...base, title: '   ' }).success).toBe(false);
    expect(IncidentSchema.safeParse({ ...base, affectedTenantIds: ['acme'] }).success).toBe(false);
  });
});

describe('timeline entries', () => {
  it('are one of five kinds, each with its own fields', () => {
    const entries = [
      { ...actor, kind: 'note', text: 'Rotated the leaked keys.' },
      { ...actor, kind: 'status_change', from: 'detected', to: 'triaged' },
      { ...actor, kind: 'severity_change', from: 'P1', to: 'P0' },
      { ...actor, kind: 'assignment', commanderId: actor.actorId, assigneeIds: [] },
      { ...actor, kind: 'notification_sent', notice: 'customer', tenantId: base.affectedTenantIds[0] },
    ];
    expect(entries.map((e) => TimelineEntrySchema.parse(e).kind)).toEqual(['note', 'status_change', 'severity_change', 'assignment', 'notification_sent']);
    expect(TimelineEntrySchema.safeParse({ ...actor, kind: 'comment', text: 'x' }).success).toBe(false);
    expect(TimelineEntrySchema.safeParse({ ...actor, kind: 'note', text: '' }).success).toBe(false);
    expect(TimelineEntrySchema.safeParse({ ...actor, kind: 'notification_sent', notice: 'press', tenantId: base.affectedTenantIds[0] }).success).toBe(false);
    expect(sentNotices(entries.map((e) => TimelineEntrySchema.parse(e)))).toEqual([
      { notice: 'customer', tenantId: base.affectedTenantIds[0], at: actor.at },
    ]);
  });
});

describe('status transitions', () => {
  it('allow exactly the forward steps, triaged → resolved, and reopening closed incidents to triaged', () => {
    const allowed = INCIDENT_STATUSES.flatMap((from) => INCIDENT_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual([
      'detected→triaged',
      'triaged→contained',
      'triaged→resolved',
      'contained→resolved',
      'resolved→triaged',
      'resolved→review_published',
      'review_published→triaged',
    ]);
  });

  it('stamp classification on the first triage only, resolution on resolve, and clear both closing times on reopen', () => {
    const triaged = applyStatusChange(base, 'triaged', '2026-11-23T00:20:00.000Z') as Incident;
    expect(triaged).toMatchObject({ status: 'triaged', classifiedAt: '2026-11-23T00:20:00.000Z' });
    const resolved = applyStatusChange(triaged, 'resolved', '2026-11-24T00:00:00.000Z') as Incident;
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-24T00:00:00.000Z' });
    const published = applyStatusChange(resolved, 'review_published', '2026-11-30T00:00:00.000Z') as Incident;
    expect(published).toMatchObject({ status: 'review_published', reviewPublishedAt: '2026-11-30T00:00:00.000Z' });
    const reopened = applyStatusChange(published, 'triaged', '2026-12-01T00:00:00.000Z') as Incident;
    expect(reopened).toMatchObject({ status: 'triaged', classifiedAt: '2026-11-23T00:20:00.000Z', resolvedAt: null, reviewPublishedAt: null });
  });

  it('refuse skipping steps and no-op changes', () => {
    expect(applyStatusChange(base, 'resolved', '2026-11-23T00:20:00.000Z')).toBe('transition_not_allowed');
    expect(applyStatusChange(base, 'review_published', '2026-11-23T00:20:00.000Z')).toBe('transition_not_allowed');
    expect(applyStatusChange(base, 'detected', '2026-11-23T00:20:00.000Z')).toBe('same_status');
  });
});
