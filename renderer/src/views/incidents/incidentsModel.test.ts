import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../shared/incidents/incident';
import { sampleIncident } from '../../../../shared/incidents/incident.fixture';
import { detailsChanges, draftOf } from './detailsModel';
import { deadlinesAt, describeDeadline, describeEntry, describeTiming, formatDuration, formatTime, mergeNoteDraft, tenantNamesOf } from './incidentsModel';

const ACME = '1a2b3c4d-0000-4000-8000-000000000001';
const ANA = 'b9f6c1de-0000-4000-8000-000000000001';
const BEN = 'b9f6c1de-0000-4000-8000-000000000002';

const incident: Incident = sampleIncident({ title: 'Leak' });

describe('incident deadlines at the local clock', () => {
  it('counts the classification clock down, turns amber in its last quarter and red once missed', () => {
    const at = (min: number) => deadlinesAt(incident, [], new Date(Date.parse(incident.detectedAt) + min * 60_000)).find((d) => d.id === 'classification')!;
    expect(at(10)).toMatchObject({ state: 'pending', remainingMs: 20 * 60_000 });
    expect(describeDeadline(at(10))).toMatch(/^00:20:00 left · due /);
    expect(at(23).state).toBe('amber');
    expect(at(31)).toMatchObject({ state: 'missed', satisfiedAt: null });
    expect(describeDeadline(at(31))).toBe('missed · 00:01:00 late');
  });

  it('formats durations over a day with days', () => {
    expect(formatDuration(26 * 3_600_000 + 61_000)).toBe('1d 02:01:01');
  });
});

describe('incident timeline and conflicts in words', () => {
  const names = tenantNamesOf([{ tenantId: ACME, tenantName: 'Acme Corp' }]);
  const base = { id: '5e0d7c1b-0000-4000-8000-000000000001', incidentId: incident.id, at: '2026-01-01T10:20:00.000Z', actorId: ANA };

  it('names the tenant a notice was sent to, and says which details changed', () => {
    expect(describeEntry({ ...base, kind: 'notification_sent', notice: 'breach', tenantId: ACME as never }, names)).toBe('breach notice marked sent to Acme Corp');
    expect(describeEntry({ ...base, kind: 'notification_sent', notice: 'breach', tenantId: BEN as never }, names)).toBe(`breach notice marked sent to ${BEN}`);
    expect(
      describeEntry({ ...base, kind: 'details_change', from: { verifiedAt: null }, to: { verifiedAt: '2026-01-01T10:15:00.000Z', personalData: true, affectedTenantIds: [ACME as never] } }, names),
    ).toBe('Details changed: affected tenants Acme Corp; personal data yes; verified at 2026-01-01 10:15 UTC');
  });

  it('shows when an offline edit was recorded and received, and when its receipt counted instead', () => {
    const note = { ...base, kind: 'note' as const, text: 'Triaged from the train' };
    const kept = { ...note, at: '2026-01-01T10:20:00.000Z', recordedAt: '2026-01-01T10:20:00.000Z', receivedAt: '2026-01-01T15:05:00.000Z' };
    expect(describeTiming(kept)).toBe(`recorded offline at ${formatTime('2026-01-01T10:20:00.000Z')}, received ${formatTime('2026-01-01T15:05:00.000Z')}`);
    expect(describeTiming({ ...kept, at: kept.receivedAt })).toBe(
      `device said ${formatTime('2026-01-01T10:20:00.000Z')}, received ${formatTime('2026-01-01T15:05:00.000Z')}; counted from receipt`,
    );
    // Received as it was made, or still pending here: one time is all there is.
    expect(describeTiming({ ...note, recordedAt: note.at, receivedAt: '2026-01-01T10:20:02.000Z' })).toBeNull();
    expect(describeTiming(note)).toBeNull();
  });

  it('names the commander and assignees of an assignment', () => {
    const person = (id: string) => (id === ANA ? 'Ana Ruiz' : `user ${id.slice(0, 8)}`);
    expect(describeEntry({ ...base, kind: 'assignment', commanderId: ANA as never, assigneeIds: [ANA as never] }, names, person)).toBe(
      'Assigned: commander Ana Ruiz; assignees Ana Ruiz',
    );
    expect(describeEntry({ ...base, kind: 'assignment', commanderId: null, assigneeIds: [] }, names, person)).toBe('Assigned: commander none; no assignees');
  });

  it('drafts a merge note with both sides: what I changed and when, what the service has now, when and by whom', () => {
    const draft = mergeNoteDraft(
      {
        edit: { kind: 'severity', incidentId: incident.id, at: '2026-01-01T10:20:00.000Z', baseVersion: 1, to: 'P3' },
        theirs: { ...incident, severity: 'P1', version: 2 },
        theirChange: { at: '2026-01-01T10:25:00.000Z', actorId: BEN, entry: { ...base, kind: 'severity_change', from: 'P0', to: 'P1' } },
      },
      names,
      (id) => (id === BEN ? 'Ben' : id),
    );
    expect(draft).toBe(
      `My offline change (made ${formatTime('2026-01-01T10:20:00.000Z')}), not applied: severity → P3.\n` +
        `On the service now: severity P1 (changed ${formatTime('2026-01-01T10:25:00.000Z')} by Ben, version 2).`,
    );
    const details = mergeNoteDraft(
      { edit: { kind: 'details', incidentId: incident.id, at: '2026-01-01T10:20:00.000Z', baseVersion: 1, changes: { verifiedAt: '2026-01-01T10:10:00.000Z' } }, theirs: { ...incident, version: 3 }, theirChange: null },
      names,
    );
    expect(details).toBe(`My offline change (made ${formatTime('2026-01-01T10:20:00.000Z')}), not applied: verified at 2026-01-01 10:10 UTC.\nOn the service now: verified at not set (version 3).`);
  });
});

describe('the Edit details form', () => {
  const now = new Date('2026-01-01T12:00:00.000Z');
  it('sends only what changed, times as instants; an untouched time keeps its stored seconds', () => {
    const stored = { ...incident, awareAt: '2026-01-01T10:05:30.000Z' };
    const draft = draftOf(stored, 'utc');
    expect(detailsChanges(stored, draft, now, 'utc')).toEqual({ ok: true, changes: {} });
    const verified = '2026-01-01 11:00';
    expect(detailsChanges(stored, { ...draft, title: '  Leak of keys ', verifiedAt: verified, personalData: true, affectedTenantIds: [ACME, ACME] }, now, 'utc')).toEqual({
      ok: true,
      changes: { title: 'Leak of keys', personalData: true, affectedTenantIds: [ACME], verifiedAt: '2026-01-01T11:00:00.000Z' },
    });
    expect(detailsChanges(stored, { ...draft, awareAt: '' }, now, 'utc')).toEqual({ ok: true, changes: { awareAt: null } });
  });

  it('says what is wrong before anything is journaled: empty title, a time before detection or in the future', () => {
    const draft = draftOf(incident, 'utc');
    expect(detailsChanges(incident, { ...draft, title: '  ' }, now, 'utc')).toMatchObject({ ok: false, field: 'title' });
    expect(detailsChanges(incident, { ...draft, verifiedAt: '2026-01-01 09:00' }, now, 'utc')).toMatchObject({
      ok: false,
      field: 'verifiedAt',
      message: expect.stringContaining('cannot be before the incident was detected'),
    });
    expect(detailsChanges(incident, { ...draft, awareAt: '2026-01-01 13:00' }, now, 'utc')).toMatchObject({ ok: false, field: 'awareAt', message: 'Aware at cannot be in the future.' });
    expect(detailsChanges(incident, { ...draft, awareAt: '1/1/2026 11:00 AM' }, now, 'utc')).toEqual({
      ok: false,
      field: 'awareAt',
      message: 'Aware at: type it as YYYY-MM-DD HH:MM, 24-hour (for example 2026-03-09 14:30).',
    });
    // The detection minute itself is accepted, stored as no earlier than detection.
    expect(detailsChanges({ ...incident, detectedAt: '2026-01-01T10:00:40.000Z' }, { ...draft, verifiedAt: '2026-01-01 10:00' }, now, 'utc')).toEqual({
      ok: true,
      changes: { verifiedAt: '2026-01-01T10:00:40.000Z' },
    });
  });
});
