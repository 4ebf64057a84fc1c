import { describe, expect, it } from 'vitest';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { sessionOf } from './session.fixture';
import { isFiltered, NO_FILTER, othersCount, sessionListInput, sortSessions, usersOf } from './sessionsModel';

const session = sessionOf;

const ANN = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b2';
const MINE = session(1, ANN, 'ann@example.com', { current: true });
const ANN_PHONE = session(2, ANN, 'ann@example.com', { flags: ['new_device'] });
const BOB_LAPTOP = session(3, BOB, 'bob@example.com', { displayName: 'Bob' });
const ALL = [BOB_LAPTOP, ANN_PHONE, MINE];

describe('sessions model', () => {
  it('asks the service for the filter (not only the pages loaded), with the cursor of that filtered list', () => {
    const T = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
    expect(sessionListInput(T, NO_FILTER, { limit: 500 })).toEqual({ tenantId: T, limit: 500 });
    expect(sessionListInput(T, { userId: ANN, flaggedOnly: false }, { limit: 500 })).toEqual({ tenantId: T, limit: 500, userId: ANN });
    expect(sessionListInput(T, { userId: null, flaggedOnly: true }, { limit: 500, cursor: 'c1' })).toEqual({ tenantId: T, limit: 500, cursor: 'c1', flagged: true });
    // "Flagged only" off means everyone's, flagged or not: no `flagged: false`.
    expect(sessionListInput(T, { userId: BOB, flaggedOnly: true }, { limit: 10 })).toEqual({ tenantId: T, limit: 10, userId: BOB, flagged: true });
    expect([isFiltered(NO_FILTER), isFiltered({ userId: null, flaggedOnly: true }), isFiltered({ userId: ANN, flaggedOnly: false })]).toEqual([false, true, true]);
  });

  it("puts the console's own session first, then the newest sign-in (the service's page order), equal starts by id", () => {
    expect(sortSessions(ALL).map((s) => s.id)).toEqual([MINE.id, BOB_LAPTOP.id, ANN_PHONE.id]);
    const newer = { ...ANN_PHONE, createdAt: '2026-03-02T08:00:00.000Z' };
    expect(sortSessions([BOB_LAPTOP, newer, MINE]).map((s) => s.id)).toEqual([MINE.id, ANN_PHONE.id, BOB_LAPTOP.id]);
  });

  it('offers the users seen in any loaded page by name, keeping them while a filter narrows the list', () => {
    const seen = usersOf([], ALL);
    expect(seen).toEqual([
      { userId: ANN, label: 'ann@example.com' },
      { userId: BOB, label: 'Bob (bob@example.com)' },
    ]);
    // Filtered to Bob, the next answer holds only his sessions: Ann stays choosable.
    expect(usersOf(seen, [BOB_LAPTOP])).toEqual(seen);
    const CAROL = '00000000-0000-4000-8000-0000000000c3';
    expect(usersOf(seen, [session(4, CAROL, 'carol@example.com', { displayName: 'Carol' })]).map((u) => u.label)).toEqual([
      'ann@example.com',
      'Bob (bob@example.com)',
      'Carol (carol@example.com)',
    ]);
  });

  it('counts what "all but mine" would end', () => {
    expect(othersCount(ALL)).toBe(2);
  });
});
