import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../shared/incidents/incident';
import { deadlinesAt, describeDeadline, formatDuration } from './incidentsModel';

const incident: Incident = {
  id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d',
  title: 'Leak',
  description: '',
  severity: 'P0',
  status: 'detected',
  commanderId: null,
  assigneeIds: [],
  affectedTenantIds: [],
  personalData: false,
  detectedAt: '2026-01-01T10:00:00.000Z',
  awareAt: null,
  verifiedAt: null,
  classifiedAt: null,
  resolvedAt: null,
  reviewPublishedAt: null,
  version: 0,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
};

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
