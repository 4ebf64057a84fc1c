import { describe, expect, it } from 'vitest';
import { judgeEditTime, MAX_CLOCK_SKEW_MS, offlineTiming } from './edit-time';

const MIN = 60_000;
const created = '2026-11-23T00:00:00.000Z';
const t = (minutes: number): string => new Date(Date.parse(created) + minutes * MIN).toISOString();
const bounds = (receivedMin: number, lastSyncMin: number | null, held?: [number, number]) => ({
  receivedAt: new Date(t(receivedMin)),
  windows: [
    ...(lastSyncMin === null ? [] : [{ from: new Date(t(lastSyncMin)), until: null }]),
    ...(held ? [{ from: new Date(t(held[0])), until: new Date(t(held[1])) }] : []),
  ],
  createdAt: created,
  detectedAt: t(-10),
});

describe('which time an incident edit counts from', () => {
  it('keeps a claimed time within [last sync, receipt]: an offline edit', () => {
    expect(judgeEditTime(t(12), bounds(300, 1))).toEqual({ at: t(12), recordedAt: t(12), receivedAt: t(300) });
    expect(judgeEditTime(t(1), bounds(300, 1))).toEqual({ at: t(1), recordedAt: t(1), receivedAt: t(300) });
    expect(judgeEditTime(t(300), bounds(300, 1))).toEqual({ at: t(300), recordedAt: t(300), receivedAt: t(300) });
  });

  it('keeps a claimed time within the window a session had when its edit of the incident was refused, and no other', () => {
    // Synced at 1, refused at 180 (the console holds this incident's later edits), synced again at 181.
    expect(judgeEditTime(t(12), bounds(300, 181, [1, 180]))).toEqual({ at: t(12), recordedAt: t(12), receivedAt: t(300) });
    expect(judgeEditTime(t(180), bounds(300, 181, [1, 180]))).toMatchObject({ at: t(180) });
    expect(judgeEditTime(t(180.5), bounds(300, 181, [1, 180]))).toMatchObject({ at: t(300) });
    expect(judgeEditTime(t(0.5), bounds(300, 181, [1, 180]))).toMatchObject({ at: t(300) });
  });

  it('counts from receipt a claim before the last sync, from a session that never synced, or ahead of the service clock', () => {
    expect(judgeEditTime(t(10), bounds(4200, 4199))).toEqual({ at: t(4200), recordedAt: t(10), receivedAt: t(4200) });
    expect(judgeEditTime(t(10), bounds(300, null))).toEqual({ at: t(300), recordedAt: t(10), receivedAt: t(300) });
    expect(judgeEditTime(t(302), bounds(300, 1))).toEqual({ at: t(300), recordedAt: t(302), receivedAt: t(300) });
  });

  it('refuses a time before the incident was opened (or detected, when later), or ahead of the service, beyond the allowed skew', () => {
    expect(judgeEditTime(t(-6), bounds(300, -60))).toBe('time_before_creation');
    expect(judgeEditTime(t(-1), { ...bounds(300, 1), detectedAt: t(5) })).toBe('time_before_creation');
    // Within the skew before opening: a slow clock, counted from receipt even inside the offline window.
    expect(judgeEditTime(t(-4), bounds(300, -60))).toEqual({ at: t(300), recordedAt: t(-4), receivedAt: t(300) });
    expect(judgeEditTime(new Date(Date.parse(t(300)) + MAX_CLOCK_SKEW_MS + 1).toISOString(), bounds(300, 1))).toBe('time_in_future');
    expect(judgeEditTime(new Date(Date.parse(t(300)) + MAX_CLOCK_SKEW_MS).toISOString(), bounds(300, 1))).not.toBe('time_in_future');
  });

  it('shows both times only when an edit waited a minute or more, and says which counted', () => {
    expect(offlineTiming({ at: t(12), recordedAt: t(12), receivedAt: t(300) })).toEqual({ recordedAt: t(12), receivedAt: t(300), counted: 'recorded' });
    expect(offlineTiming({ at: t(300), recordedAt: t(12), receivedAt: t(300) })).toEqual({ recordedAt: t(12), receivedAt: t(300), counted: 'received' });
    expect(offlineTiming({ at: t(12), recordedAt: t(12), receivedAt: new Date(Date.parse(t(13)) - 1).toISOString() })).toBeNull();
    expect(offlineTiming({ at: t(300), recordedAt: t(302), receivedAt: t(300) })).toBeNull();
    expect(offlineTiming({ at: t(12) })).toBeNull();
  });
});
