import { describe, expect, it } from 'vitest';
import { SessionSummarySchema, type SessionSummary } from '../../../../shared/sessions/schemas';
import { filterSessions, othersCount, sortSessions, usersOf } from './sessionsModel';

const session = (n: number, userId: string, email: string, opts: Partial<SessionSummary> = {}): SessionSummary =>
  SessionSummarySchema.parse({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    userId,
    email,
    displayName: '',
    userAgent: 'Attest-Console/1.0',
    ip: '10.0.0.1',
    createdAt: '2026-03-01T09:00:00.000Z',
    lastSeenAt: `2026-03-02T09:0${n}:00.000Z`,
    idleExpiresAt: '2026-03-16T09:00:00.000Z',
    absoluteExpiresAt: '2026-03-31T09:00:00.000Z',
    current: false,
    flags: [],
    ...opts,
  });

const ANN = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b2';
const MINE = session(1, ANN, 'ann@example.com', { current: true });
const ANN_PHONE = session(2, ANN, 'ann@example.com', { flags: ['new_device'] });
const BOB_LAPTOP = session(3, BOB, 'bob@example.com', { displayName: 'Bob' });
const ALL = [BOB_LAPTOP, ANN_PHONE, MINE];

describe('sessions model', () => {
  it('filters by user and by flagged, together', () => {
    expect(filterSessions(ALL, { userId: ANN, flaggedOnly: false })).toEqual([ANN_PHONE, MINE]);
    expect(filterSessions(ALL, { userId: null, flaggedOnly: true })).toEqual([ANN_PHONE]);
    expect(filterSessions(ALL, { userId: BOB, flaggedOnly: true })).toEqual([]);
    expect(filterSessions(ALL, { userId: null, flaggedOnly: false })).toEqual(ALL);
  });

  it("puts the console's own session first, then the newest sign-in (the service's page order), equal starts by id", () => {
    expect(sortSessions(ALL).map((s) => s.id)).toEqual([MINE.id, BOB_LAPTOP.id, ANN_PHONE.id]);
    const newer = { ...ANN_PHONE, createdAt: '2026-03-02T08:00:00.000Z' };
    expect(sortSessions([BOB_LAPTOP, newer, MINE]).map((s) => s.id)).toEqual([MINE.id, ANN_PHONE.id, BOB_LAPTOP.id]);
  });

  it('lists the users with sessions by name, with their counts', () => {
    expect(usersOf(ALL)).toEqual([
      { userId: ANN, label: 'ann@example.com', sessions: 2 },
      { userId: BOB, label: 'Bob (bob@example.com)', sessions: 1 },
    ]);
  });

  it('counts what "all but mine" would end', () => {
    expect(othersCount(ALL)).toBe(2);
  });
});
